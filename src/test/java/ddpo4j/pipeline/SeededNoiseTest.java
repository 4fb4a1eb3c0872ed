package ddpo4j.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SeededNoiseTest {
    private static final Shape BATCH = new Shape(3, 2, 4, 4);
    private static final int PER = 2 * 4 * 4;

    private static float[] row(float[] all, int r) {
        return Arrays.copyOfRange(all, r * PER, (r + 1) * PER);
    }

    @Test
    void aSharedStartChangesTheInitialLatentsOnly() {
        long[] samples = {8, 9, 10};
        long[] initial = {8, 8, 10}; // rows 0 and 1 a group sharing sample 8's start
        try (NDManager m = NDManager.newBaseManager()) {
            SeededNoise own = new SeededNoise(7, samples);
            SeededNoise shared = new SeededNoise(7, samples, initial);
            float[] x0 = own.initialLatents(m, BATCH).toFloatArray();
            float[] x1 = shared.initialLatents(m, BATCH).toFloatArray();
            assertArrayEquals(row(x0, 0), row(x1, 0));
            assertArrayEquals(row(x0, 0), row(x1, 1), "row 1 starts where sample 8 does");
            assertFalse(Arrays.equals(row(x0, 1), row(x1, 1)));
            assertArrayEquals(row(x0, 2), row(x1, 2));
            for (int step = 0; step < 3; step++) {
                assertArrayEquals(own.stepNoise(m, step, BATCH).toFloatArray(), shared.stepNoise(m, step, BATCH).toFloatArray(),
                        "step noise of every row is its own, step " + step);
            }
        }
    }
}
