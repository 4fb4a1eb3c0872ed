package ddpo4j.rewards.remote;

import ddpo4j.rewards.PerSampleReward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.RewardFactory;
import ddpo4j.rewards.RewardOptions;
import ddpo4j.rewards.ScoredBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reward computed by one long-lived child process speaking {@link RewardProtocol} JSON, one line
 * per request and per answer on stdin/stdout. A child that dies or misses the timeout is killed and
 * started again; its stderr goes to our log.
 */
public final class CommandReward implements PerSampleReward {
    public static final String NAME = "command";
    static final Set<String> KEYS = Set.of("cmd", "timeout", "retries", "batch_size", "dir");
    private static final Logger LOG = LoggerFactory.getLogger(CommandReward.class);

    private final List<String> argv;
    private final Path dir;
    private final Duration timeout;
    private final int retries;
    private final int batchSize;
    private final Consumer<String> stderr;
    // One thread talks to the child: requests are answered in order, one at a time.
    private final ExecutorService worker;
    private ChildProcess child;
    private int starts;
    private boolean closed;

    /** Options: cmd (required), timeout (s, per request), retries (after the child died or timed out), batch_size, dir. */
    public CommandReward(RewardOptions o) {
        this(o, null);
    }

    /** As {@link #CommandReward(RewardOptions)}, with the child's stderr lines going to {@code stderr} (null: our log). */
    public CommandReward(RewardOptions o, Consumer<String> stderr) {
        argv = ShellWords.split(o.string("cmd"));
        if (argv.isEmpty()) {
            throw o.error("cmd is empty");
        }
        dir = o.has("dir") ? Path.of(o.string("dir")) : null;
        timeout = o.seconds("timeout", 60);
        if (timeout.isZero()) {
            throw o.error("timeout must be > 0 seconds");
        }
        retries = o.integer("retries", 1, 0);
        batchSize = o.integer("batch_size", 16, 1);
        String program = argv.get(0);
        this.stderr = stderr != null ? stderr : line -> LOG.info("[{}] {}", program, line);
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "reward-command " + program);
            t.setDaemon(true);
            return t;
        });
        try {
            running(); // started now, so a wrong command fails at setup rather than after the first sampling
        } catch (IOException e) {
            worker.shutdownNow();
            throw o.error("cannot start '" + String.join(" ", argv) + "': " + e.getMessage());
        }
    }

    public static RewardFactory factory() {
        return RewardFactory.of(KEYS, CommandReward::new);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** How many times a child was started (1 + restarts), for tests and logs. */
    public synchronized int starts() {
        return starts;
    }

    @Override
    public CompletableFuture<ScoredBatch> scoreSamples(RewardBatch batch) {
        return SubBatches.score(NAME, batch, batchSize,
                (offset, sub) -> CompletableFuture.supplyAsync(() -> exchange(offset, sub), worker));
    }

    /** Runs one request on the worker thread, restarting the child and retrying when it dies or stalls. */
    private ScoredBatch exchange(int offset, RewardBatch sub) {
        String source = "reward '" + NAME + "' (" + String.join(" ", argv) + ")";
        String where = source + ", " + RewardProtocol.samples(offset, sub.size());
        String request = RewardProtocol.request(sub);
        String problem = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (problem != null) {
                LOG.warn("{}: {}; restarting it and retrying", where, problem);
            }
            ChildProcess c;
            try {
                c = running();
            } catch (IOException e) {
                // Not retried: a command that cannot start will not start on the second try either.
                return ScoredBatch.failed(sub.size(), new RewardException(where + ": cannot start: " + e.getMessage(), e));
            }
            String line;
            try {
                line = c.exchange(request, timeout);
            } catch (ChildProcess.ExitedException e) {
                problem = "the child " + e.getMessage();
                discard(c);
                continue;
            } catch (TimeoutException e) {
                problem = e.getMessage() + "; killed the child";
                discard(c);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                discard(c);
                return ScoredBatch.failed(sub.size(), new RewardException(where + ": interrupted"));
            }
            try {
                return RewardProtocol.response(line, sub.size(), offset, source);
            } catch (RewardException e) {
                // After an unusable line the child's stdout may hold more stray lines: a fresh child keeps
                // later answers paired with their requests.
                discard(c);
                return ScoredBatch.failed(sub.size(), e);
            }
        }
        String tries = retries > 0 ? " (after " + (retries + 1) + " attempts)" : "";
        return ScoredBatch.failed(sub.size(), new RewardException(where + ": " + problem + tries));
    }

    private synchronized ChildProcess running() throws IOException {
        if (closed) {
            throw new IOException("the reward is closed");
        }
        if (child == null) {
            child = ChildProcess.start(argv, dir, stderr);
            starts++;
            if (starts > 1) {
                LOG.warn("reward '{}': started child process {} (start #{})", NAME, child.pid(), starts);
            }
        }
        return child;
    }

    /** Kills {@code c} (a no-op for the process if it already died, but it frees its threads) and forgets it. */
    private synchronized void discard(ChildProcess c) {
        c.kill();
        if (child == c) {
            child = null;
        }
    }

    /** Ends the child (end of stdin, then a kill after 2 s) and the worker thread. */
    @Override
    public void close() {
        ChildProcess c;
        synchronized (this) {
            closed = true;
            c = child;
            child = null;
        }
        if (c != null) {
            c.stop(Duration.ofSeconds(2));
        }
        worker.shutdownNow();
    }

    @Override
    public String toString() {
        return NAME + "(cmd=" + String.join(" ", argv) + ", timeout=" + timeout.toMillis() / 1000.0 + " s, retries="
                + retries + ")";
    }
}
