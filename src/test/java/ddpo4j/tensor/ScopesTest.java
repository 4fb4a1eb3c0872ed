package ddpo4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class ScopesTest {
    @Test
    void anArrayListedTwiceSurvivesTheStep() {
        try (NDManager root = NDManager.newBaseManager()) {
            NDManager params = root.newSubManager();
            NDArray w = params.create(new float[] {1, 2});
            NDArray x = root.create(new float[] {3, 4});
            params.cap();
            try (NDManager s = Scopes.step(root, new NDArray[] {w, w}, x, w, x)) {
                assertSame(s, w.getManager());
                w.add(x);
            }
            assertSame(params, w.getManager());
            assertSame(root, x.getManager());
            assertArrayEquals(new float[] {1, 2}, w.toFloatArray());
            assertArrayEquals(new float[] {3, 4}, x.toFloatArray());
        }
    }
}
