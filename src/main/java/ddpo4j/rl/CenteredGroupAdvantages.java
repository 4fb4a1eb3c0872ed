package ddpo4j.rl;

import java.util.List;

/**
 * Groups centred on their own mean, scaled by one standard deviation for the whole epoch:
 * {@code (r - mean_g) / (std of every centred reward + 1e-8)}. Unlike {@link GroupAdvantages}, a
 * prompt the model already gets right every time (rewards 0.990 to 0.999) gives advantages near
 * zero instead of its noise blown up to unit size: with a per-group std that noise is as strong a
 * gradient as a hard prompt's real differences (Liu et al. 2025, "Understanding R1-Zero-like
 * training", on GRPO's per-group std).
 */
public final class CenteredGroupAdvantages implements AdvantageEstimator {
    @Override
    public double[] advantages(List<String> prompts, double[] rewards) {
        double[] centred = new double[rewards.length];
        for (List<Integer> idx : AdvantageEstimator.groupsOf(prompts).values()) {
            double[] g = idx.stream().mapToDouble(i -> rewards[i]).toArray();
            double mean = AdvantageEstimator.meanStd(g)[0];
            for (int i : idx) {
                centred[i] = rewards[i] - mean;
            }
        }
        // The centred values have mean zero; their spread is the epoch's within-prompt spread.
        double std = AdvantageEstimator.meanStd(centred)[1];
        double[] out = new double[rewards.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = centred[i] / (std + 1e-8);
        }
        return out;
    }
}
