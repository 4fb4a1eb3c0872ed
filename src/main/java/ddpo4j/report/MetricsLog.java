package ddpo4j.report;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run's {@code metrics.jsonl} as a table: one row per epoch, nested objects flattened to dotted
 * keys ({@code {"eval": {"a": {"reward_mean": 1}}}} reads as {@code eval.a.reward_mean}). Tolerant of
 * partial runs: NaN / Infinity tokens or strings, missing fields and unparsable lines (skipped).
 */
final class MetricsLog {
    /** Prefix and suffixes of the evaluation fields: {@code eval.<set>.reward_mean}, {@code eval.<set>.reward_stderr}. */
    static final String EVAL_PREFIX = "eval.";
    static final String EVAL_MEAN = ".reward_mean";
    static final String EVAL_STDERR = ".reward_stderr";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final List<Map<String, Object>> rows;
    private final int skippedLines;

    private MetricsLog(List<Map<String, Object>> rows, int skippedLines) {
        this.rows = rows;
        this.skippedLines = skippedLines;
    }

    /** Reads {@code file}; a missing file is an empty log. */
    static MetricsLog read(Path file) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int skipped = 0;
        if (!Files.isRegularFile(file)) {
            return new MetricsLog(rows, 0);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Ddpo4jException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                Object parsed = JSON.readValue(line, Object.class);
                if (parsed instanceof Map<?, ?> m) {
                    Map<String, Object> flat = new LinkedHashMap<>();
                    flatten("", m, flat);
                    rows.add(flat);
                } else {
                    skipped++;
                }
            } catch (IOException e) {
                skipped++;
            }
        }
        return new MetricsLog(rows, skipped);
    }

    /** Copies {@code m} into {@code out}, nested maps as dotted keys under {@code prefix}. */
    static void flatten(String prefix, Map<?, ?> m, Map<String, Object> out) {
        m.forEach((k, v) -> {
            String key = prefix + k;
            if (v instanceof Map<?, ?> inner) {
                flatten(key + ".", inner, out);
            } else {
                out.put(key, v);
            }
        });
    }

    int size() {
        return rows.size();
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Lines that were not a JSON object (e.g. a truncated last line). */
    int skippedLines() {
        return skippedLines;
    }

    /** The epoch of row {@code i}: its {@code epoch} field, else the row index. */
    int epoch(int i) {
        double e = value(i, "epoch");
        return Double.isFinite(e) ? (int) e : i;
    }

    boolean has(int i, String key) {
        return rows.get(i).get(key) != null;
    }

    /** Whether any row has {@code key}. */
    boolean hasAny(String key) {
        for (int i = 0; i < rows.size(); i++) {
            if (has(i, key)) {
                return true;
            }
        }
        return false;
    }

    /** Row {@code i}'s numeric {@code key}; NaN when absent or not a number ("NaN", "Infinity" strings are read). */
    double value(int i, String key) {
        Object v = rows.get(i).get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** The evaluation sets named by {@code eval.<set>.reward_mean} fields, in order of first appearance. */
    List<String> evalSets() {
        Set<String> sets = new LinkedHashSet<>();
        for (Map<String, Object> row : rows) {
            for (String k : row.keySet()) {
                if (k.startsWith(EVAL_PREFIX) && k.endsWith(EVAL_MEAN) && k.length() > EVAL_PREFIX.length() + EVAL_MEAN.length()) {
                    sets.add(k.substring(EVAL_PREFIX.length(), k.length() - EVAL_MEAN.length()));
                }
            }
        }
        return new ArrayList<>(sets);
    }

    /** Sum of the finite values of {@code key} over all rows. */
    double sum(String key) {
        double s = 0;
        for (int i = 0; i < rows.size(); i++) {
            double v = value(i, key);
            if (Double.isFinite(v)) {
                s += v;
            }
        }
        return s;
    }

    /** Largest finite value of {@code key}, NaN if none. */
    double max(String key) {
        double m = Double.NaN;
        for (int i = 0; i < rows.size(); i++) {
            double v = value(i, key);
            if (Double.isFinite(v) && !(v <= m)) {
                m = v;
            }
        }
        return m;
    }
}
