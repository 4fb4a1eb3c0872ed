package ddpo4j.rl;

import java.util.List;

/**
 * GRPO-style groups: the samples of one prompt in this epoch (K per prompt when the prompt
 * function repeats each prompt K times) are normalized among themselves, {@code (r - mean_g) / (std_g + 1e-6)}.
 */
public final class GroupAdvantages implements AdvantageEstimator {
    @Override
    public double[] advantages(List<String> prompts, double[] rewards) {
        double[] out = new double[rewards.length];
        for (List<Integer> idx : AdvantageEstimator.groupsOf(prompts).values()) {
            double[] g = idx.stream().mapToDouble(i -> rewards[i]).toArray();
            double[] ms = AdvantageEstimator.meanStd(g);
            for (int i : idx) {
                out[i] = (rewards[i] - ms[0]) / (ms[1] + 1e-6);
            }
        }
        return out;
    }
}
