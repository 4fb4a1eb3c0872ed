package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AdamW over several steps and global-norm clipping, against torch's update rule worked by hand. */
class OptimizerTest {
    @Test
    void adamWThreeStepsMatchTheHandComputedRule() {
        double lr = 0.1;
        double b1 = 0.9;
        double b2 = 0.99;
        double wd = 0.01;
        double eps = 1e-8;
        double[] grads = {0.5, -2.0, 0.25};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.create(new float[] {1.0f});
            AdamW adam = new AdamW(List.of(p), new AdamW.Options(lr, b1, b2, wd, eps), m);
            double w = 1.0;
            double mm = 0;
            double vv = 0;
            for (int step = 1; step <= 3; step++) {
                double g = grads[step - 1];
                adam.step(List.of(m.create(new float[] {(float) g})));
                w *= 1 - lr * wd;
                mm = b1 * mm + (1 - b1) * g;
                vv = b2 * vv + (1 - b2) * g * g;
                double mhat = mm / (1 - Math.pow(b1, step));
                double denom = Math.sqrt(vv) / Math.sqrt(1 - Math.pow(b2, step)) + eps;
                w -= lr * mhat / denom;
                assertEquals(w, p.getFloat(), 1e-6, "step " + step);
            }
            assertEquals(3, adam.stepCount());
        }
    }

    @Test
    void clipScalesOnlyAboveTheMaxNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {3, 0});
            NDArray b = m.create(new float[] {0, 4});
            float norm = GradClip.clip(List.of(a, b), 1.0);
            assertEquals(5.0, norm, 1e-6);
            double coef = 1.0 / (5.0 + 1e-6);
            assertEquals(3 * coef, a.getFloat(0), 1e-6);
            assertEquals(4 * coef, b.getFloat(1), 1e-6);
            NDArray c = m.create(new float[] {0.3f, 0.4f});
            assertEquals(0.5, GradClip.clip(List.of(c), 1.0), 1e-6);
            assertEquals(0.3f, c.getFloat(0), 0f); // below the threshold: untouched
        }
    }
}
