package ddpo4j.rewards;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-sample outcome of scoring a batch: every sample has either a finite score (with its info) or
 * the error that failed it. Failed samples have no score at all, so none can be used by mistake.
 */
public final class ScoredBatch {
    private final double[] scores;
    private final List<Map<String, Object>> info;
    private final RewardException[] errors;

    private ScoredBatch(double[] scores, List<Map<String, Object>> info, RewardException[] errors) {
        this.scores = scores;
        this.info = info;
        this.errors = errors;
    }

    /**
     * Checks a reward's result against the batch: the wrong count fails every sample, a non-finite
     * score fails its own sample; both with errors naming the reward and the sample.
     */
    public static ScoredBatch of(String reward, RewardResult result, int expected) {
        if (result == null) {
            return failed(expected, new RewardException("reward '" + reward + "' returned no result"));
        }
        double[] s = result.scores();
        if (s.length != expected) {
            return failed(expected, new RewardException("reward '" + reward + "' returned " + s.length
                    + " scores for " + expected + " samples"));
        }
        Builder b = new Builder(expected);
        for (int i = 0; i < expected; i++) {
            if (Double.isFinite(s[i])) {
                b.score(i, s[i], result.info().get(i));
            } else {
                b.fail(i, new NonFiniteScoreException("reward '" + reward + "': score of sample " + i + " is " + s[i],
                        s[i]));
            }
        }
        return b.build();
    }

    /** Every one of {@code size} samples failed with {@code error}. */
    public static ScoredBatch failed(int size, RewardException error) {
        Builder b = new Builder(size);
        for (int i = 0; i < size; i++) {
            b.fail(i, error);
        }
        return b.build();
    }

    /** The parts' samples one after the other, as the sub-batches they were scored in. */
    public static ScoredBatch concat(List<ScoredBatch> parts) {
        int n = parts.stream().mapToInt(ScoredBatch::size).sum();
        Builder b = new Builder(n);
        int at = 0;
        for (ScoredBatch p : parts) {
            for (int i = 0; i < p.size(); i++, at++) {
                if (p.ok(i)) {
                    b.score(at, p.scores[i], p.info(i));
                } else {
                    b.fail(at, p.errors[i]);
                }
            }
        }
        return b.build();
    }

    public int size() {
        return scores.length;
    }

    public boolean ok(int i) {
        return errors[i] == null;
    }

    public boolean allOk() {
        return failedCount() == 0;
    }

    public int failedCount() {
        return (int) Arrays.stream(errors).filter(e -> e != null).count();
    }

    /** The score of sample {@code i}; throws that sample's error if it failed. */
    public double score(int i) {
        if (errors[i] != null) {
            throw errors[i];
        }
        return scores[i];
    }

    public Map<String, Object> info(int i) {
        return info.get(i);
    }

    /** The error of sample {@code i}, or null if it was scored. */
    public RewardException error(int i) {
        return errors[i];
    }

    /** Indices of the samples that were scored, ascending. */
    public int[] kept() {
        int[] out = new int[scores.length - failedCount()];
        for (int i = 0, k = 0; i < scores.length; i++) {
            if (errors[i] == null) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** Scores of the {@link #kept} samples, in the same order. */
    public double[] keptScores() {
        return Arrays.stream(kept()).mapToDouble(i -> scores[i]).toArray();
    }

    /** Failed sample index → its error, ascending. */
    public Map<Integer, RewardException> failures() {
        Map<Integer, RewardException> out = new LinkedHashMap<>();
        for (int i = 0; i < errors.length; i++) {
            if (errors[i] != null) {
                out.put(i, errors[i]);
            }
        }
        return out;
    }

    /** All scores as a RewardResult; if any sample failed, a RewardException counting failures and citing the first. */
    public RewardResult toResult() {
        Map<Integer, RewardException> failed = failures();
        if (failed.isEmpty()) {
            return new RewardResult(scores, info);
        }
        RewardException first = failed.values().iterator().next();
        if (failed.size() == 1 || failed.values().stream().allMatch(e -> e == first)) {
            throw first;
        }
        throw new RewardException(failed.size() + " of " + size() + " samples failed; first (sample "
                + failed.keySet().iterator().next() + "): " + first.getMessage(), first);
    }

    /** Fills a ScoredBatch sample by sample; every sample must be set exactly once. */
    public static final class Builder {
        private final double[] scores;
        private final List<Map<String, Object>> info;
        private final RewardException[] errors;
        private final boolean[] set;

        public Builder(int size) {
            scores = new double[size];
            info = new ArrayList<>(Collections.nCopies(size, Map.of()));
            errors = new RewardException[size];
            set = new boolean[size];
        }

        public Builder score(int i, double score, Map<String, Object> details) {
            if (!Double.isFinite(score)) {
                throw new IllegalArgumentException("score of sample " + i + " is " + score + "; fail the sample instead");
            }
            mark(i);
            scores[i] = score;
            info.set(i, details == null ? Map.of() : details);
            return this;
        }

        public Builder fail(int i, RewardException error) {
            mark(i);
            scores[i] = Double.NaN;
            errors[i] = error;
            return this;
        }

        private void mark(int i) {
            if (set[i]) {
                throw new IllegalStateException("sample " + i + " set twice");
            }
            set[i] = true;
        }

        public ScoredBatch build() {
            for (int i = 0; i < set.length; i++) {
                if (!set[i]) {
                    throw new IllegalStateException("sample " + i + " has neither a score nor an error");
                }
            }
            return new ScoredBatch(scores.clone(), List.copyOf(info), errors.clone());
        }
    }
}
