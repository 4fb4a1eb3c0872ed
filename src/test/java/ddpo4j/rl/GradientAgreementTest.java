package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GradientAgreementTest {
    private static float[][] grad(float... first) {
        return new float[][] {first, {0f}};
    }

    @Test
    void cosinesOfEveryPairOfAWindow() {
        GradientAgreement a = new GradientAgreement();
        a.add(List.of(grad(1, 0), grad(2, 0), grad(0, 3))); // pairs: 1, 0, 0
        assertEquals(1.0 / 3, a.mean(), 1e-12);
        a.add(List.of(grad(1, 1), grad(-1, -1))); // -1
        assertEquals((1.0 - 1) / 4, a.mean(), 1e-12);
    }

    @Test
    void zeroGradientsAndLoneMinibatchesAddNothing() {
        GradientAgreement a = new GradientAgreement();
        a.add(List.<float[][]>of(grad(1, 0)));
        a.add(List.of(grad(0, 0), grad(1, 0)));
        assertTrue(Double.isNaN(a.mean()));
    }

    @Test
    void signalShowsAboveNoise() {
        // minibatches = a shared direction times s plus independent unit noise per coordinate
        SplittableRandom r = new SplittableRandom(1);
        int d = 20_000;
        float[] signal = new float[d];
        for (int e = 0; e < d; e++) {
            signal[e] = (float) r.nextGaussian();
        }
        GradientAgreement noise = new GradientAgreement();
        GradientAgreement signalled = new GradientAgreement();
        for (int w = 0; w < 5; w++) {
            float[][][] pure = new float[4][][];
            float[][][] mixed = new float[4][][];
            for (int p = 0; p < 4; p++) {
                float[] n = new float[d];
                float[] m = new float[d];
                for (int e = 0; e < d; e++) {
                    n[e] = (float) r.nextGaussian();
                    m[e] = n[e] + signal[e]; // s = 1: expected cosine 1 / 2
                }
                pure[p] = new float[][] {n};
                mixed[p] = new float[][] {m};
            }
            noise.add(List.of(pure));
            signalled.add(List.of(mixed));
        }
        assertEquals(0, noise.mean(), 0.03);
        assertEquals(0.5, signalled.mean(), 0.03);
    }
}
