package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** train.timestep_weighting: equalize: weight times gain is the same at every eligible step. */
class TimestepWeightsTest {
    /** A policy whose steps' output gains are given per timestep. */
    private static Policy withGains(Map<Long, Double> gains) {
        return (Policy) Proxy.newProxyInstance(Policy.class.getClassLoader(), new Class<?>[] {Policy.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("outputGain")) {
                        return gains.get((Long) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void weightsAreInverseGainsWithMeanOneOverTheEligibleSteps() {
        Policy p = withGains(Map.of(30L, 0.1, 20L, 0.4, 10L, 1.0, 0L, 10.0));
        double[] w = TimestepWeights.equalize(p, new long[] {30, 20, 10, 0}, 3);
        // 1 / gain: 10, 2.5, 1, mean 4.5; the skipped last step gets 0
        assertArrayEquals(new double[] {10 / 4.5, 2.5 / 4.5, 1 / 4.5, 0}, w, 1e-12);
        assertEquals(w[0] * 0.1, w[1] * 0.4, 1e-12);
        assertEquals(w[1] * 0.4, w[2] * 1.0, 1e-12);
    }

    @Test
    void aStepWithoutGainIsOneErrorNamingIt() {
        Policy p = withGains(Map.of(30L, 0.0, 20L, 1.0));
        Ddpo4jException e = assertThrows(Ddpo4jException.class,
                () -> TimestepWeights.equalize(p, new long[] {30, 20}, 2));
        assertTrue(e.getMessage().contains("timestep 30") && e.getMessage().contains("timestep_weighting"),
                e.getMessage());
    }

    @Test
    void theMinibatchScalesEachRowsAdvantageByItsStepsWeight() {
        TrajectoryBuffer buffer = new TrajectoryBuffer();
        buffer.describe(new TrajectoryBuffer.Shapes(2, 1, 1, 1, 1, 1), new long[] {20, 10}, new float[] {0f});
        buffer.add(new SampleRecord(0, "a", Map.of(), new float[] {1, 2, 3}, new float[] {-1, -2}, new float[] {0}));
        buffer.add(new SampleRecord(1, "b", Map.of(), new float[] {4, 5, 6}, new float[] {-3, -4}, new float[] {0}));
        try (NDManager m = NDManager.newBaseManager()) {
            double[] adv = {0.5, -2.0};
            TrajectoryBuffer.Minibatch plain = buffer.minibatch(m, new int[] {0, 1}, new int[] {1, 0}, adv);
            assertArrayEquals(new float[] {0.5f, -2.0f}, plain.advantages().toFloatArray());
            TrajectoryBuffer.Minibatch weighted = buffer.minibatch(m, new int[] {0, 1}, new int[] {1, 0}, adv,
                    new double[] {3.0, 0.25});
            // row 0 at step 1 (weight 0.25), row 1 at step 0 (weight 3)
            assertArrayEquals(new float[] {0.125f, -6.0f}, weighted.advantages().toFloatArray());
            assertArrayEquals(new float[] {-2f, -3f}, weighted.oldLogProbs().toFloatArray());
        }
    }
}
