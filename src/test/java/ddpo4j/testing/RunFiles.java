package ddpo4j.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What two runs of the same config must have in common, read from their run dirs. */
public final class RunFiles {
    /** Metrics that measure time or memory: they differ between any two runs. */
    public static final Set<String> TIMING = Set.of("seconds_sampling", "seconds_reward_wait", "seconds_training",
            "samples_per_s", "reward_latency_mean_s", "reward_busy_s", "reward_images_per_s", "peak_rss_mb", "rss_mb",
            "jvm_heap_mb");

    private RunFiles() {}

    /** Every file of a run dir by relative path, with its bytes. */
    public static Map<String, byte[]> files(Path run) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(run)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                out.put(run.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        return out;
    }

    /** metrics.jsonl, one map per epoch, without the {@link #TIMING} fields. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> metrics(Path run) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            Map<String, Object> m = new LinkedHashMap<>(new ObjectMapper().readValue(line, Map.class));
            m.keySet().removeAll(TIMING);
            out.add(m);
        }
        return out;
    }
}
