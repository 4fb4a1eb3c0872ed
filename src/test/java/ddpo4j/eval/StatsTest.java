package ddpo4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void meanStdAndStandardError() {
        double[] x = {1, 2, 3, 4};
        assertEquals(2.5, Stats.mean(x), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3), Stats.std(x), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3) / 2, Stats.stderr(x), 1e-12);
        assertTrue(Double.isNaN(Stats.std(new double[] {1})));
    }

    @Test
    void clusteredStandardErrorIsTheStandardErrorOfClusterMeans() {
        // clusters {1, 3} and {10, 10}, {NaN, 4}: means 2, 10, 4 (NaN skipped inside its cluster)
        double[] x = {1, 3, 10, 10, Double.NaN, 4};
        assertEquals(Stats.stderr(new double[] {2, 10, 4}), Stats.clusteredStderr(x, 2), 1e-12);
        // clusters of one are the plain standard error
        double[] y = {1, 2, 3, 4};
        assertEquals(Stats.stderr(y), Stats.clusteredStderr(y, 1), 1e-12);
        // a cluster with no finite value drops out; one cluster left gives NaN
        assertTrue(Double.isNaN(Stats.clusteredStderr(new double[] {Double.NaN, Double.NaN, 1, 2}, 2)));
    }

    @Test
    void clusterSizeMustDivideTheValues() {
        assertThrows(IllegalArgumentException.class, () -> Stats.clusteredStderr(new double[] {1, 2, 3}, 2));
        assertThrows(IllegalArgumentException.class, () -> Stats.clusteredStderr(new double[] {1, 2}, 0));
    }
}
