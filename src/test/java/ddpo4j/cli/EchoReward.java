package ddpo4j.cli;

import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A {@code java:} reward for the score CLI tests: mean brightness, with the prompt, metadata and size echoed in info. */
public final class EchoReward implements Reward {
    @Override
    public String name() {
        return "echo";
    }

    @Override
    public CompletableFuture<RewardResult> score(RewardBatch batch) {
        double[] scores = new double[batch.size()];
        List<Map<String, Object>> info = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            double sum = 0;
            for (float v : batch.images().get(i)) {
                sum += v;
            }
            scores[i] = sum / batch.images().get(i).length;
            info.add(Map.of("prompt", batch.prompts().get(i), "metadata", batch.metadata().get(i),
                    "size", batch.height() + "x" + batch.width(), "batch", batch.size()));
        }
        return CompletableFuture.completedFuture(new RewardResult(scores, info));
    }
}
