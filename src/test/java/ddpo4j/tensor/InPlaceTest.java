package ddpo4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class InPlaceTest {
    @Test
    void theTargetKeepsTheValuesAfterTheSourceIsClosedAndWritesStayItsOwn() {
        try (NDManager root = NDManager.newBaseManager()) {
            NDArray target = root.zeros(new Shape(2, 3));
            try (NDManager m = root.newSubManager()) {
                InPlace.copy(target, m.arange(6f).reshape(2, 3));
            }
            System.gc();
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, target.toFloatArray());
            NDArray source = root.ones(new Shape(2, 3));
            InPlace.copy(target, source);
            target.addi(1);
            assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, source.toFloatArray(), "a copy, not a view");
        }
    }

    @Test
    void aShapeMismatchIsAnError() {
        try (NDManager root = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> InPlace.copy(root.zeros(new Shape(6)), root.zeros(new Shape(2, 3))));
        }
    }
}
