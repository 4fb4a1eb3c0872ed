package ddpo4j.report;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The evaluation of the policy after the last epoch ({@code eval_final.json}, images in
 * {@code samples/final/}), placed where the report's convention puts it: an evaluation at epoch
 * {@code e} scores the policy entering epoch {@code e}, so the final one sits at the last logged
 * epoch + 1. Absent (a run still going, or without eval sets): {@link #NONE}, which adds nothing.
 */
record FinalEval(int epoch, JsonNode values) {
    static final String FILE_NAME = "eval_final.json";
    static final String SAMPLES_DIR = "final";
    static final FinalEval NONE = new FinalEval(-1, null);
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** Reads {@code runDir/eval_final.json}; unreadable or with no epoch to follow: {@link #NONE}. */
    static FinalEval read(Path runDir, MetricsLog log) {
        Path f = runDir.resolve(FILE_NAME);
        if (log.isEmpty() || !Files.isRegularFile(f)) {
            return NONE;
        }
        try {
            JsonNode n = JSON.readTree(f.toFile());
            return n != null && n.isObject() ? new FinalEval(log.epoch(log.size() - 1) + 1, n) : NONE;
        } catch (IOException e) {
            return NONE; // a half-written file of a run killed mid-write: the next write replaces it
        }
    }

    boolean present() {
        return values != null;
    }

    /** {@code s} (an eval set's curve) with the final evaluation of that set appended, when there is one. */
    Series extend(Series s, String set) {
        if (!present()) {
            return s;
        }
        String p = MetricsLog.EVAL_PREFIX + set;
        JsonNode mean = values.get(p + MetricsLog.EVAL_MEAN);
        if (mean == null || !mean.isNumber()) {
            return s;
        }
        JsonNode err = values.get(p + MetricsLog.EVAL_STDERR);
        return s.plus(epoch, mean.asDouble(), err != null && err.isNumber() ? err.asDouble() : 0);
    }
}
