package ddpo4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class LocalScopeTest {
    @Test
    void intermediatesAreFreedAndTheResultStaysWithTheCaller() {
        try (NDManager step = NDManager.newBaseManager()) {
            NDArray x = step.create(new float[] {1, 2, 3});
            NDArray other = step.newSubManager().create(new float[] {10, 20, 30});
            NDManager otherHome = other.getManager();
            NDArray[] seen = new NDArray[1];
            NDArray y;
            try (LocalScope scope = LocalScope.of(x, other, null, x)) {
                NDArray t = x.mul(x); // an intermediate: lands in the scope
                seen[0] = t;
                y = scope.keep(t.add(other));
            }
            assertTrue(seen[0].isReleased(), "the intermediate was freed with the scope");
            assertFalse(y.isReleased());
            assertSame(step, y.getManager());
            assertSame(step, x.getManager());
            assertSame(otherHome, other.getManager(), "inputs go back to their own managers");
            assertArrayEquals(new float[] {11, 24, 39}, y.toFloatArray());
            assertEquals(3, step.getManagedArrays().size(), "x, y and the other manager's array: " + step.getManagedArrays());
        }
    }

    @Test
    void gradientsFlowThroughFreedIntermediates() {
        try (NDManager root = NDManager.newBaseManager()) {
            NDArray w = root.create(new float[] {0.5f, -1f, 2f});
            w.setRequiresGradient(true);
            try (NDManager step = root.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                step.tempAttachAll(w);
                NDArray y;
                try (LocalScope scope = LocalScope.of(w)) {
                    NDArray sq = w.mul(w); // saved for backward, its Java handle closed with the scope
                    y = scope.keep(sq.mul(w)); // w^3
                }
                gc.backward(y.sum());
            }
            assertArrayEquals(new float[] {0.75f, 3f, 12f}, w.getGradient().toFloatArray(), 1e-6f); // 3 w^2
        }
    }
}
