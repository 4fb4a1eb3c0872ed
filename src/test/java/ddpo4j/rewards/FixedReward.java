package ddpo4j.rewards;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A user-style reward class for the {@code java:} tests: every image scores {@code value} (default 1). */
public class FixedReward implements Reward {
    private final double value;
    private final Map<String, String> options;

    public FixedReward(Map<String, String> options) {
        this.options = options;
        this.value = Double.parseDouble(options.getOrDefault("value", "1"));
    }

    @Override
    public String name() {
        return "fixed";
    }

    @Override
    public CompletableFuture<RewardResult> score(RewardBatch batch) {
        double[] s = new double[batch.size()];
        java.util.Arrays.fill(s, value);
        List<Map<String, Object>> info = Collections.nCopies(batch.size(), Map.of("options", options));
        return CompletableFuture.completedFuture(new RewardResult(s, info));
    }

    /** Takes no options: only a no-arg constructor. */
    public static class NoOptions implements Reward {
        @Override
        public String name() {
            return "no_options";
        }

        @Override
        public CompletableFuture<RewardResult> score(RewardBatch batch) {
            return new FixedReward(Map.of("value", "2")).score(batch);
        }
    }

    /** Scores the batch as its prompts say: a number, or "nan" (a non-finite score), or "fail" (the whole call fails). */
    public static class ByPrompt implements Reward {
        @Override
        public String name() {
            return "by_prompt";
        }

        @Override
        public CompletableFuture<RewardResult> score(RewardBatch batch) {
            if (batch.prompts().contains("fail")) {
                return CompletableFuture.failedFuture(new IllegalStateException("user code broke"));
            }
            double[] s = batch.prompts().stream().mapToDouble(p -> p.equals("nan") ? Double.NaN : Double.parseDouble(p))
                    .toArray();
            return CompletableFuture.completedFuture(new RewardResult(s, Collections.nCopies(s.length, Map.of())));
        }
    }
}
