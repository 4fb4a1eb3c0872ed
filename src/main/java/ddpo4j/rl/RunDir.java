package ddpo4j.rl;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A run's folder: {@code config.yaml}, {@code metrics.jsonl} (one JSON object per epoch),
 * {@code checkpoints/}, {@code lora/}, {@code samples/}. Every file is replaced atomically, so a
 * crash never leaves a half-written line or file.
 */
public final class RunDir {
    /** Every sample's reward of one evaluation, per eval set, in that evaluation's image folder. */
    public static final String EVAL_REWARDS = "eval_rewards.json";
    /** The final evaluation's metrics (written last: a run that has it is finished). */
    public static final String FINAL_EVAL = "eval_final.json";
    /** Written when the guard stopped the run: {@code stopped_before_epoch} names the policy kept. */
    public static final String GUARD_STOP = "guard_stop.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A failed reward is written as NaN (JSON has none; Jackson's extension reads it back). */
    private static final ObjectMapper LENIENT_JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private final Path root;

    public RunDir(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new Ddpo4jException("cannot create run dir " + root + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    public Path configFile() {
        return root.resolve("config.yaml");
    }

    public Path metricsFile() {
        return root.resolve("metrics.jsonl");
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public Path loraDir() {
        return root.resolve("lora");
    }

    /** Where guard.action=keep_best keeps the LoRA of the best policy by guard.metric. */
    public Path bestLoraDir() {
        return root.resolve("best").resolve("lora");
    }

    /** The folder of the evaluation after the last epoch (the guard's stop keeps that epoch's folder instead). */
    public Path finalSamplesDir() {
        return root.resolve("samples").resolve("final");
    }

    public Path samplesDir(int epoch) {
        return root.resolve("samples").resolve(String.format("epoch_%04d", epoch));
    }

    /**
     * The {@link #EVAL_REWARDS} file in one evaluation's folder: every sample's reward per eval set,
     * in the evaluator's order (sample {@code p × samplesPerPrompt + k}); a null or non-number is NaN.
     */
    public static Map<String, double[]> readEvalRewards(Path evalDir) {
        Path f = evalDir.resolve(EVAL_REWARDS);
        JsonNode all;
        try {
            all = LENIENT_JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new Ddpo4jException("cannot read " + f + ": " + e.getMessage(), e);
        }
        if (all == null || !all.isObject()) {
            throw new Ddpo4jException(f + " is not a JSON object of eval sets");
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode array = e.getValue();
            if (!array.isArray()) {
                throw new Ddpo4jException(f + ": eval set " + e.getKey() + " is not an array of rewards");
            }
            double[] v = new double[array.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = array.get(i).asDouble(Double.NaN);
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    public void writeConfig(String yaml) {
        AtomicFile.write(configFile(), yaml.getBytes(StandardCharsets.UTF_8));
    }

    /** The metrics lines written so far (parsed). */
    public List<Map<String, Object>> readMetrics() {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.exists(metricsFile())) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(metricsFile(), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = JSON.readValue(line, Map.class);
                    out.add(m);
                }
            }
        } catch (IOException e) {
            throw new Ddpo4jException("cannot read " + metricsFile() + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Appends one epoch's metrics by rewriting the file atomically. */
    public void appendMetrics(Map<String, Object> metrics) {
        try {
            byte[] old = Files.exists(metricsFile()) ? Files.readAllBytes(metricsFile()) : new byte[0];
            byte[] line = (JSON.writeValueAsString(metrics) + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[old.length + line.length];
            System.arraycopy(old, 0, all, 0, old.length);
            System.arraycopy(line, 0, all, old.length, line.length);
            AtomicFile.write(metricsFile(), all);
        } catch (IOException e) {
            throw new Ddpo4jException("cannot write " + metricsFile() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes what writes interrupted by a killed process left behind: {@code AtomicFile}'s hidden
     * {@code .NAME.*.tmp} files anywhere in the run dir, half-written or half-deleted checkpoint
     * folders, and checkpoints beyond {@code checkpointLimit} that a kill kept from being pruned.
     * The targets of interrupted writes are untouched (the old content or none), so nothing is
     * lost. Call it only when no other process writes to this run dir.
     */
    public void cleanUpAfterCrash(int checkpointLimit) {
        try {
            Checkpoints.removeStale(checkpoints());
            Checkpoints.prune(checkpoints(), checkpointLimit);
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> Files.isRegularFile(p) && isTempName(p.getFileName().toString()))
                        .toList()) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new Ddpo4jException("cannot clean up " + root + ": " + e.getMessage(), e);
        }
    }

    private static boolean isTempName(String name) {
        return name.startsWith(".") && name.endsWith(".tmp");
    }

    /** Keeps only the lines of epochs up to {@code lastEpoch} (a resume replays the rest). */
    public void truncateMetrics(int lastEpoch) {
        try {
            if (!Files.exists(metricsFile())) {
                return;
            }
            StringBuilder kept = new StringBuilder();
            for (String line : Files.readAllLines(metricsFile(), StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                Map<?, ?> m = JSON.readValue(line, Map.class);
                if (((Number) m.get("epoch")).intValue() <= lastEpoch) {
                    kept.append(line).append('\n');
                }
            }
            AtomicFile.write(metricsFile(), kept.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Ddpo4jException("cannot rewrite " + metricsFile() + ": " + e.getMessage(), e);
        }
    }
}
