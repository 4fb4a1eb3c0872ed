package ddpo4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The checker itself: it passes true gradients, catches wrong ones and leaves its inputs as they were. */
class GradientCheckTest {
    @Test
    void acceptsCorrectGradientAndRestoresInputs() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] data = {0.3, -1.2, 2.5, 0.7, -0.1, 1.9};
            NDArray x = m.create(data, new Shape(2, 3));
            double worst = GradientCheck.of("x^3", a -> a[0].pow(3).sum()).coordinates(6).check(x);
            assertTrue(worst < 1e-7, "worst " + worst);
            assertArrayEquals(data, x.toDoubleArray(), 0.0, "inputs restored exactly");
            assertFalse(x.hasGradient(), "an input that was not trainable is left untrainable");
            assertEquals(1, m.getManagedArrays().size(), "no temporaries left in the caller's manager");
        }
    }

    @Test
    void catchesAWrongGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new double[] {0.5, -1.5, 2.0});
            // f = sum(x * stop(x)): autograd says x, the true derivative is 2x.
            AssertionError e = assertThrows(AssertionError.class,
                    () -> GradientCheck.of("detached factor", a -> a[0].mul(a[0].stopGradient()).sum()).check(x));
            assertTrue(e.getMessage().contains("input 0[") && e.getMessage().contains("relative error"),
                    e.getMessage());
        }
    }

    @Test
    void rejectsNonScalarOutputs() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new double[] {1, 2});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GradientCheck.of("identity", a -> a[0].mul(1.0)).check(x));
            assertTrue(e.getMessage().contains("project"), e.getMessage());
        }
    }

    @Test
    void worksOnArraysOfACappedManager() {
        try (NDManager root = NDManager.newBaseManager()) {
            NDManager params = root.newSubManager();
            NDArray w = params.create(new double[] {0.2, -0.4, 0.9});
            params.cap();
            GradientCheck.of("exp under a capped manager", a -> a[0].exp().sum()).check(w);
            assertEquals(1, params.getManagedArrays().size());
        }
    }
}
