package ddpo4j.rewards.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One running child process spoken to in lines: a request line to its stdin, an answer line from its
 * stdout within a deadline. Its stderr goes, line by line, to a sink (our log).
 */
final class ChildProcess {
    /** The child closed its stdout (usually: it exited) before answering. */
    static final class ExitedException extends Exception {
        private static final long serialVersionUID = 1L;

        ExitedException(String message) {
            super(message);
        }
    }

    private final Process process;
    private final Writer stdin;
    // Optional.empty() marks the end of stdout; a queue lets the caller wait with a deadline.
    private final BlockingQueue<Optional<String>> stdout = new LinkedBlockingQueue<>();
    // Writes go through their own thread: a child that stops reading must not block us past the deadline.
    private final ExecutorService writer;

    private ChildProcess(Process process, String label, Consumer<String> stderr) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.writer = Executors.newSingleThreadExecutor(r -> daemon(r, label + " stdin"));
        daemon(() -> pump(process.getInputStream(), line -> stdout.add(Optional.of(line)),
                () -> stdout.add(Optional.empty())), label + " stdout").start();
        daemon(() -> pump(process.getErrorStream(), stderr, () -> {}), label + " stderr").start();
    }

    static ChildProcess start(List<String> argv, Path dir, Consumer<String> stderr) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        return new ChildProcess(p, "reward-command-" + p.pid(), stderr);
    }

    long pid() {
        return process.pid();
    }

    /** Sends {@code request} as one line and returns the next line the child prints. */
    String exchange(String request, Duration timeout) throws ExitedException, TimeoutException, InterruptedException {
        writer.execute(() -> {
            try {
                stdin.write(request);
                stdin.write('\n');
                stdin.flush();
            } catch (IOException e) {
                // Broken pipe: the child is gone, and the stdout reader will report its end.
            }
        });
        Optional<String> line = stdout.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (line == null) {
            throw new TimeoutException("no answer within " + timeout.toMillis() / 1000.0 + " s");
        }
        if (line.isEmpty()) {
            stdout.add(line); // stays ended for any later caller
            throw new ExitedException(exitDescription());
        }
        return line.get();
    }

    /** Asks the child to finish (end of stdin), then kills it and its descendants if it has not within {@code grace}. */
    void stop(Duration grace) {
        writer.execute(() -> {
            try {
                stdin.close();
            } catch (IOException e) {
                // already gone
            }
        });
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
        writer.shutdownNow();
    }

    /** Kills the child and anything it started (a {@code bash -c} wrapper's children, say). */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.shutdownNow();
    }

    private String exitDescription() {
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                return "exited with code " + process.exitValue() + " before answering";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "closed its stdout before answering";
    }

    private static void pump(InputStream in, Consumer<String> lines, Runnable atEnd) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.accept(line);
            }
        } catch (IOException e) {
            // stream closed because the process died or was killed: same as its end
        } finally {
            atEnd.run();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
