package ddpo4j.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ddpo4j.tensor.Scalars;

/**
 * The DDPO objectives for one timestep of a minibatch (Black et al. 2023, §4.2), with the
 * diagnostics train.py logs. Each returned loss is a mean over the minibatch rows.
 */
public final class PolicyLoss {
    /** Loss to backpropagate and float diagnostics. */
    public record Terms(NDArray loss, NDArray ratio, float approxKl, float clipFrac) {}

    private PolicyLoss() {}

    /**
     * DDPO-IS, PPO-clipped importance sampling:
     * {@code mean(max(-A r, -A clip(r, 1-eps, 1+eps)))}, {@code r = exp(logp - logp_old)}.
     */
    public static Terms importanceSampling(NDArray logProb, NDArray oldLogProb, NDArray advantages, double clipRange) {
        NDArray diff = logProb.sub(oldLogProb);
        NDArray ratio = diff.exp();
        NDArray negAdv = advantages.neg();
        NDArray unclipped = negAdv.mul(ratio);
        NDArray clipped = negAdv.mul(Scalars.clip(ratio, 1.0 - clipRange, 1.0 + clipRange)); // not ratio.clip: see Scalars
        NDArray loss = NDArrays.maximum(unclipped, clipped).mean();
        return new Terms(loss, ratio, approxKl(diff), clipFrac(ratio, clipRange));
    }

    /** DDPO-SF, the score-function (REINFORCE) estimator: {@code -mean(A logp)}. */
    public static Terms scoreFunction(NDArray logProb, NDArray oldLogProb, NDArray advantages) {
        NDArray diff = logProb.sub(oldLogProb).stopGradient();
        NDArray loss = advantages.mul(logProb).mean().neg();
        return new Terms(loss, diff.exp(), approxKl(diff), 0f);
    }

    /**
     * KL penalty to a reference policy with the same per-row sigma:
     * {@code beta * mean_rows(mean_dims((mu - muRef)^2) / (2 sigma^2))}.
     */
    public static NDArray klPenalty(NDArray mean, NDArray refMean, NDArray std, double beta) {
        long b = mean.getShape().get(0);
        NDArray sq = mean.sub(refMean.stopGradient()).square().reshape(b, -1).mean(new int[] {1}); // (B)
        NDArray twoVar = Scalars.mul(std.reshape(b).square(), 2);
        return Scalars.mul(sq.div(twoVar), beta).mean(); // scale before the 0-d mean, which a double would promote
    }

    private static float approxKl(NDArray diff) {
        // 0.5 * mean(d^2) in float32; multiplying a 0-d array by a Java double would promote it to float64
        return diff.stopGradient().square().mean().getFloat() * 0.5f;
    }

    private static float clipFrac(NDArray ratio, double clipRange) {
        return ratio.stopGradient().sub(1.0).abs().gt(clipRange).toType(DataType.FLOAT32, false)
                .mean().getFloat();
    }
}
