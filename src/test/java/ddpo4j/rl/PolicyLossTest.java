package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** The DDPO losses against values worked by hand. */
class PolicyLossTest {
    @Test
    void importanceSamplingUsesTheClippedBranchOutsideTheTrustRegion() {
        try (NDManager m = NDManager.newBaseManager()) {
            // ratios e^0.5 (above 1+eps) and e^-0.5 (below 1-eps), advantages +1 and +2, eps 0.2
            NDArray logp = m.create(new float[] {0.5f, -0.5f});
            logp.setRequiresGradient(true);
            NDArray old = m.create(new float[] {0f, 0f});
            NDArray adv = m.create(new float[] {1f, 2f});
            PolicyLoss.Terms t;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                t = PolicyLoss.importanceSampling(logp, old, adv, 0.2);
                gc.backward(t.loss());
            }
            double r0 = Math.exp(0.5);
            double r1 = Math.exp(-0.5);
            // row 0: max(-1*r0, -1*1.2) = -1.2 (clipped, no gradient); row 1: max(-2*r1, -2*0.8) = -2*r1 (unclipped)
            double expected = (-1.2 + -2 * r1) / 2;
            assertEquals(expected, t.loss().getFloat(), 1e-6);
            float[] g = logp.getGradient().toFloatArray();
            assertEquals(0.0, g[0], 1e-7); // clipped branch carries no gradient
            assertEquals(-2 * r1 / 2, g[1], 1e-6); // d/dlogp of -A r / 2
            assertEquals(1.0f, t.clipFrac(), 0f);
            assertEquals(0.5 * (0.25 + 0.25) / 2, t.approxKl(), 1e-7);
        }
    }

    @Test
    void negativeAdvantageClipsTheOtherSide() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logp = m.create(new float[] {-0.5f});
            NDArray t = PolicyLoss.importanceSampling(logp, m.create(new float[] {0f}), m.create(new float[] {-1f}),
                    0.2).loss();
            // max(r, 0.8) with r = e^-0.5 = 0.607: the clipped value 0.8 wins
            assertEquals(0.8, t.getFloat(), 1e-6);
        }
    }

    @Test
    void scoreFunctionIsMinusMeanAdvantageTimesLogProb() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logp = m.create(new float[] {-1f, 2f});
            logp.setRequiresGradient(true);
            PolicyLoss.Terms t;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                t = PolicyLoss.scoreFunction(logp, m.create(new float[] {-1f, 2f}), m.create(new float[] {3f, -1f}));
                gc.backward(t.loss());
            }
            assertEquals(-(3 * -1 + -1 * 2) / 2.0, t.loss().getFloat(), 1e-6);
            float[] g = logp.getGradient().toFloatArray();
            assertEquals(-1.5, g[0], 1e-6);
            assertEquals(0.5, g[1], 1e-6);
        }
    }

    @Test
    void klPenaltyIsScaledSquaredMeanDistance() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mean = m.create(new float[] {1, 2, 3, 4}).reshape(1, 1, 2, 2);
            NDArray ref = m.create(new float[] {0, 2, 3, 2}).reshape(1, 1, 2, 2);
            NDArray std = m.create(new float[] {0.5f}).reshape(1, 1, 1, 1);
            // beta * mean((1, 0, 0, 4)) / (2 * 0.25) = 0.1 * 1.25 / 0.5
            assertEquals(0.25, PolicyLoss.klPenalty(mean, ref, std, 0.1).getFloat(), 1e-6);
        }
    }
}
