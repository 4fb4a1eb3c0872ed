package ddpo4j.rewards.combine;

import ddpo4j.rewards.PerSampleReward;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.ScoredBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A weighted sum of rewards, each optionally standardized by its running mean and std; the
 * components score the batch concurrently and a sample fails if any component fails it.
 */
public final class WeightedSumReward implements PerSampleReward {
    public static final String NAME = "sum";

    /** One summand: {@code weight} times the score of {@code reward}, standardized first if {@code normalize}. */
    public record Component(Reward reward, double weight, boolean normalize) {
        public Component {
            if (!Double.isFinite(weight)) {
                throw new RewardException("reward 'sum': weight of " + reward.name() + " is " + weight);
            }
        }
    }

    private final List<Component> components;
    private final List<RunningNormalizer> normalizers = new ArrayList<>();

    public WeightedSumReward(List<Component> components) {
        if (components.isEmpty()) {
            throw new RewardException("reward 'sum' needs at least one component");
        }
        this.components = List.copyOf(components);
        components.forEach(c -> normalizers.add(c.normalize() ? new RunningNormalizer() : null));
    }

    public List<Component> components() {
        return components;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletableFuture<ScoredBatch> scoreSamples(RewardBatch batch) {
        List<CompletableFuture<ScoredBatch>> parts = components.stream()
                .map(c -> c.reward().scoreSamples(batch)).toList();
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(v -> combine(parts.stream().map(CompletableFuture::join).toList(), batch.size()));
    }

    private ScoredBatch combine(List<ScoredBatch> parts, int size) {
        double[][] values = new double[parts.size()][];
        for (int k = 0; k < parts.size(); k++) {
            values[k] = componentValues(k, parts.get(k), size);
        }
        ScoredBatch.Builder out = new ScoredBatch.Builder(size);
        for (int i = 0; i < size; i++) {
            RewardException error = firstError(parts, i);
            if (error != null) {
                out.fail(i, error);
                continue;
            }
            double total = 0;
            List<Map<String, Object>> details = new ArrayList<>();
            for (int k = 0; k < parts.size(); k++) {
                Component c = components.get(k);
                total += c.weight() * values[k][i];
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("reward", c.reward().name());
                d.put("weight", c.weight());
                d.put("score", parts.get(k).score(i));
                if (c.normalize()) {
                    d.put("normalized", values[k][i]);
                }
                d.put("info", parts.get(k).info(i));
                details.add(d);
            }
            out.score(i, total, Map.of("components", details));
        }
        return out.build();
    }

    /** Component k's value per sample (raw or standardized); NaN where it failed. Only scored samples update the stats. */
    private double[] componentValues(int k, ScoredBatch part, int size) {
        double[] v = new double[size];
        Arrays.fill(v, Double.NaN);
        int[] kept = part.kept();
        double[] scores = part.keptScores();
        if (normalizers.get(k) != null) {
            scores = normalizers.get(k).updateAndNormalize(scores);
        }
        for (int j = 0; j < kept.length; j++) {
            v[kept[j]] = scores[j];
        }
        return v;
    }

    private static RewardException firstError(List<ScoredBatch> parts, int i) {
        for (ScoredBatch p : parts) {
            if (!p.ok(i)) {
                return p.error(i);
            }
        }
        return null;
    }

    @Override
    public void close() {
        RewardException failure = null;
        for (Component c : components) {
            try {
                c.reward().close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new RewardException("reward 'sum': closing a component failed: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return NAME + ":" + components.stream()
                .map(c -> c.weight() + "*" + (c.normalize() ? "norm(" + c.reward() + ")" : "(" + c.reward() + ")"))
                .collect(Collectors.joining("+"));
    }
}
