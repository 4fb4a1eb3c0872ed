package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** train.skip_last_steps: the last denoising steps leave each sample's visiting order, the rest keep theirs. */
class EligibleStepsTest {
    @Test
    void dropsTheLastStepsAndKeepsTheOrderOfTheRest() {
        PolicyUpdate.Visits v = new PolicyUpdate.Visits(new int[] {1, 0},
                new int[][] {{4, 0, 3, 1, 2}, {2, 4, 3, 1, 0}});
        PolicyUpdate.Visits e = PolicyUpdate.eligibleOnly(v, 3);
        assertSame(v.samples(), e.samples());
        assertArrayEquals(new int[] {0, 1, 2}, e.steps()[0]);
        assertArrayEquals(new int[] {2, 1, 0}, e.steps()[1]);
    }

    @Test
    void everyStepEligibleIsTheReferenceOrder() {
        PolicyUpdate.Visits v = PolicyUpdate.seeded(7).of(3, 0, 4, 10);
        PolicyUpdate.Visits e = PolicyUpdate.eligibleOnly(v, 10);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(v.steps()[i], e.steps()[i]);
        }
    }
}
