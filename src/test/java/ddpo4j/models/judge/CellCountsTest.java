package ddpo4j.models.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CellCountsTest {
    @Test
    void sumsIndependentCellsExactlyAndMergesTheTail() {
        // cells 0.5, 0.5, 1, 0 (offset 1 in the array): the count is 1 + Binomial(2, 1/2)
        float[] probs = {0.9f, 0.5f, 0.5f, 1f, 0f, 0.7f};
        float[] d = CellCounts.distribution(probs, 1, 4, 5);
        assertEquals(6, d.length);
        assertEquals(0.0, d[0], 1e-7);
        assertEquals(0.25, d[1], 1e-7);
        assertEquals(0.5, d[2], 1e-7);
        assertEquals(0.25, d[3], 1e-7);
        assertEquals(0.0, d[4] + d[5], 1e-7);

        // seven sure cells with max 5: everything lands in "5 or more"
        float[] sure = {1, 1, 1, 1, 1, 1, 1};
        float[] capped = CellCounts.distribution(sure, 0, 7, 5);
        assertEquals(1.0, capped[5], 1e-7);
        // 64 cells of p = 0.01: P(0) = 0.99^64
        float[] rare = new float[64];
        java.util.Arrays.fill(rare, 0.01f);
        float[] r = CellCounts.distribution(rare, 0, 64, 5);
        assertEquals(Math.pow(0.99, 64), r[0], 1e-6);
        assertEquals(64 * 0.01 * Math.pow(0.99, 63), r[1], 1e-6);
        double sum = 0;
        for (float v : r) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-6);
    }
}
