package ddpo4j.rl;

import java.util.List;

/** Batch-global normalization, train.py's fallback: {@code (r - mean) / (std + 1e-8)} over the epoch. */
public final class BatchAdvantages implements AdvantageEstimator {
    @Override
    public double[] advantages(List<String> prompts, double[] rewards) {
        double[] ms = AdvantageEstimator.meanStd(rewards);
        double[] out = new double[rewards.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (rewards[i] - ms[0]) / (ms[1] + 1e-8);
        }
        return out;
    }
}
