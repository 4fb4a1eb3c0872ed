package ddpo4j.replay;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import ddpo4j.Ddpo4jException;
import ddpo4j.rl.RunDir;
import ddpo4j.rl.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the replay reads back from a finished run folder. */
final class RunReading {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private final Path dir;
    private final TrainConfig config;

    RunReading(Path dir) {
        this.dir = dir;
        this.config = TrainConfig.resolve(dir.resolve("config.yaml"), List.of());
    }

    TrainConfig config() {
        return config;
    }

    /** The reward the run's evaluations are in: its {@code eval.reward}, else the one it trains on. */
    String evalReward() {
        String r = config.getString("eval.reward");
        return r.isBlank() ? config.getString("reward_fn") : r;
    }

    List<Map<String, Object>> metrics() {
        return new RunDir(dir).readMetrics();
    }

    /** Every sample's reward on {@code set} in the evaluation before the first epoch. */
    double[] firstEvaluation(String set) {
        return rewards(new RunDir(dir).samplesDir(0), set);
    }

    /** Every sample's reward on {@code set} in the last evaluation (the kept policy's, after a guard's stop). */
    double[] lastEvaluation(String set) {
        RunDir run = new RunDir(dir);
        Path stop = dir.resolve(RunDir.GUARD_STOP);
        if (Files.isRegularFile(stop)) {
            return rewards(run.samplesDir(read(stop).path("stopped_before_epoch").asInt()), set);
        }
        return rewards(run.finalSamplesDir(), set);
    }

    /** The final evaluation's metric {@code key} (NaN when absent). */
    double finalMetric(String key) {
        JsonNode v = read(dir.resolve(RunDir.FINAL_EVAL)).get(key);
        return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
    }

    double wallSeconds() {
        Path f = dir.resolve("wall-seconds");
        try {
            return Files.isRegularFile(f) ? Double.parseDouble(Files.readString(f).strip()) : Double.NaN;
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static double[] rewards(Path evalDir, String set) {
        double[] out = RunDir.readEvalRewards(evalDir).get(set);
        if (out == null) {
            throw new Ddpo4jException(evalDir.resolve(RunDir.EVAL_REWARDS) + " has no rewards for eval set " + set
                    + " (is it in the run's eval.sets?)");
        }
        return out;
    }

    private static JsonNode read(Path f) {
        try {
            return JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new Ddpo4jException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}
