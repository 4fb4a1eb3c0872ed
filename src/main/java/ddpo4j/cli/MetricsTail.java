package ddpo4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Spark run's progress on the driver's console: the ranks train in executors, so the driver
 * follows the metrics.jsonl that rank 0 writes on shared storage and prints one line per new epoch.
 */
final class MetricsTail implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final PrintStream out;
    private final ScheduledExecutorService timer;
    private int printed;

    /** Follows {@code file}, printing only the lines written from now on (a resumed run's old epochs are not news). */
    MetricsTail(Path file, PrintStream out, long periodMillis) {
        this.file = file;
        this.out = out;
        this.printed = lines().size();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metrics-tail");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::poll, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    synchronized void poll() {
        List<String> lines = lines();
        // a resume rewrites the file without the failed attempt's lines after its checkpoint
        printed = Math.min(printed, lines.size());
        for (; printed < lines.size(); printed++) {
            out.println(describe(lines.get(printed)));
        }
    }

    private static String describe(String line) {
        try {
            JsonNode m = JSON.readTree(line);
            return "epoch " + (m.path("epoch").asInt() + 1) + "  reward " + m.path("reward_mean").asText() + " ± "
                    + m.path("reward_std").asText() + "  loss " + m.path("loss").asText() + "  kl "
                    + m.path("approx_kl").asText() + "  clipfrac " + m.path("clipfrac").asText();
        } catch (IOException e) {
            return line;
        }
    }

    private List<String> lines() {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of(); // rewritten just now (atomically): read it at the next poll
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        poll(); // the last epoch, if it came after the last poll
    }
}
