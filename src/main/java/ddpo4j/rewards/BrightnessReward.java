package ddpo4j.rewards;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Mean pixel value in [0, 1]: a reward whose optimum is obvious (a white image), for checking that
 * training works end to end before spending time on a real reward.
 */
public final class BrightnessReward implements Reward {
    @Override
    public String name() {
        return "brightness";
    }

    @Override
    public CompletableFuture<RewardResult> score(RewardBatch batch) {
        double[] scores = new double[batch.size()];
        List<Map<String, Object>> info = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            double sum = 0;
            for (float v : batch.images().get(i)) {
                sum += v;
            }
            scores[i] = sum / batch.images().get(i).length;
            info.add(Map.of());
        }
        return CompletableFuture.completedFuture(new RewardResult(scores, info));
    }
}
