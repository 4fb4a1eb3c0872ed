package ddpo4j.rewards.world;

import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardFactory;
import ddpo4j.rewards.RewardResult;
import ddpo4j.world.PreferenceRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code preference_rule}: the hidden preference of the aesthetic analog ({@link PreferenceRule}),
 * computed exactly from the pixels, 0..10. The gold measure beside the learned {@code
 * shapes_aesthetic}; info has the rule's {@code contrast} and {@code presence}.
 */
public final class PreferenceRuleReward implements Reward {
    public static final String NAME = "preference_rule";

    public static RewardFactory factory() {
        return RewardFactory.of(Set.of(), o -> new PreferenceRuleReward());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletableFuture<RewardResult> score(RewardBatch batch) {
        double[] scores = new double[batch.size()];
        List<Map<String, Object>> info = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            PreferenceRule.Score s = PreferenceRule.score(batch.images().get(i), batch.height(), batch.width());
            scores[i] = s.value();
            info.add(Map.of("contrast", s.contrast(), "presence", s.presence()));
        }
        return CompletableFuture.completedFuture(new RewardResult(scores, info));
    }
}
