package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RewardMonitorTest {
    @Test
    void pearsonOfLinearAndAntiLinearPairs() {
        assertEquals(1.0, RewardMonitor.pearson(List.of(new double[] {1, 3}, new double[] {2, 5}, new double[] {4, 9})),
                1e-12);
        assertEquals(-1.0, RewardMonitor.pearson(List.of(new double[] {1, 3}, new double[] {2, 1},
                new double[] {3, -1})), 1e-12);
        // x = 1, 2, 3, 4 against y = 1, 3, 2, 4: r = 0.8
        assertEquals(0.8, RewardMonitor.pearson(List.of(new double[] {1, 1}, new double[] {2, 3}, new double[] {3, 2},
                new double[] {4, 4})), 1e-12);
        assertTrue(Double.isNaN(RewardMonitor.pearson(List.of(new double[] {1, 1}, new double[] {2, 1},
                new double[] {3, 1}))), "a constant side has no correlation");
        assertTrue(Double.isNaN(RewardMonitor.pearson(List.of(new double[] {1, 1}, new double[] {2, 2}))));
    }
}
