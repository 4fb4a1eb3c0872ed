package ddpo4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ddpo4j.tensor.Scopes;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for what they close
class GradientsTest {
    /** loss = sum(a * ca) + sum(b * cb), so d/da = ca and d/db = cb. */
    private static void backward(NDArray a, NDArray b, float ca, float cb) {
        try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
            c.backward(a.mul(ca).sum().add(b.mul(cb).sum()));
        }
    }

    private static float[] grad(NDArray p) {
        try (NDArray g = p.getGradient()) {
            return g.toFloatArray();
        }
    }

    @Test
    void normAccumulationAndZeroUnderACappedManager() {
        try (NDManager root = NDManager.newBaseManager()) {
            NDManager params = root.newSubManager();
            NDArray a = params.create(new float[] {1, 2, 3});
            NDArray b = params.create(new float[] {4, 5});
            Gradients.track(a, b);
            params.cap();
            NDArray[] all = {a, b};
            try (NDManager s = Scopes.step(root, all)) {
                backward(a, b, 2, 3);
                backward(a, b, 2, 3); // accumulates: grads 4 and 6
                double expected = Math.sqrt(3 * 16 + 2 * 36);
                assertEquals(expected, Gradients.globalNorm(all), 1e-5);
                Gradients.zero(all);
                assertArrayEquals(new float[] {0, 0, 0}, grad(a));
                assertEquals(0, Gradients.globalNorm(all));
            }
            // Outside any step: a bare getGradient() would have to attach to the capped manager.
            assertThrows(IllegalStateException.class, a::getGradient);
            assertEquals(0, Gradients.globalNorm(all));
            Gradients.zero(all);
            assertEquals(2, params.getManagedArrays().size(), "no gradient handles left behind");
        }
    }

    @Test
    void getGradientReturnsAFreshHandleOnEveryCall() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.create(new float[] {1, 2});
            p.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(p.mul(3f).sum());
            }
            int before = m.getManagedArrays().size();
            NDArray g1 = p.getGradient();
            NDArray g2 = p.getGradient();
            assertTrue(g1 != g2 && !g1.getUid().equals(g2.getUid()), "two handles");
            assertEquals(before + 2, m.getManagedArrays().size(), "each handle is a new array in p's manager");
            g1.close();
            assertArrayEquals(new float[] {3, 3}, g2.toFloatArray(), "closing a handle keeps the gradient");
            g2.close();
            assertArrayEquals(new float[] {3, 3}, grad(p));
        }
    }

    @Test
    void zeroRecoversFromNonFiniteGradients() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2});
            NDArray b = m.create(new float[] {3});
            Gradients.track(a, b);
            backward(a, b, Float.NaN, Float.POSITIVE_INFINITY);
            assertTrue(Double.isNaN(Gradients.globalNorm(a, b)));
            try (NDArray g = a.getGradient()) {
                g.subi(g); // DESIGN's idiom: NaN - NaN stays NaN
                assertTrue(Float.isNaN(g.toFloatArray()[0]));
            }
            Gradients.zero(a, b);
            assertEquals(0, Gradients.globalNorm(a, b));
            backward(a, b, 1, 2);
            assertArrayEquals(new float[] {1, 1}, grad(a));
            assertArrayEquals(new float[] {2}, grad(b));
        }
    }

    @Test
    void aRepeatedParameterIsNotClosed() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {3, 4});
            Gradients.track(a);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(a.mul(a).sum().div(2)); // gradient = a, norm 5
            }
            assertEquals(5 * Math.sqrt(2), Gradients.globalNorm(a, a), 1e-5, "counted once per listing, as torch");
            Gradients.zero(a, a);
            assertArrayEquals(new float[] {0, 0}, grad(a));
            assertArrayEquals(new float[] {3, 4}, a.toFloatArray());
        }
    }

    @Test
    void untrackedArraysAreRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1});
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Gradients.zero(a));
            assertTrue(e.getMessage().contains("track"), e.getMessage());
        }
    }

    @Test
    void nothingToDoForNoParameters() {
        Gradients.zero();
        assertEquals(0, Gradients.globalNorm());
    }
}
