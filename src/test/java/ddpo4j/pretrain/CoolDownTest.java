package ddpo4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.Ddpo4jException;
import org.junit.jupiter.api.Test;

class CoolDownTest {
    @Test
    void constantThenCosineToZero() {
        CoolDown c = new CoolDown(1e-3, 10, 4);
        for (int s = 0; s < 6; s++) {
            assertEquals(1e-3, c.at(s), 0.0, "step " + s);
        }
        double before = c.at(5);
        for (int s = 6; s < 10; s++) {
            assertTrue(c.at(s) < before && c.at(s) > 0, "step " + s + ": " + c.at(s));
            before = c.at(s);
        }
        // the midpoint of the decay is half the rate: steps 6..9 map to progress 1/5..4/5
        assertEquals(0.5e-3 * (1 + Math.cos(Math.PI * 0.2)), c.at(6), 1e-18);
        assertEquals(1e-3, new CoolDown(1e-3, 10, 0).at(9), 0.0, "no cool-down: constant to the end");
    }

    @Test
    void aLongerRunWithCoolDownMatchesAConstantRunUntilItsDecayStarts() {
        // v3 continues v2's step-8000 checkpoint: the rates of updates 0..7999 must be identical
        CoolDown v2 = new CoolDown(1e-3, 10_000, 0);
        CoolDown v3 = new CoolDown(1e-3, 12_000, 4000);
        for (int s = 0; s < 8000; s++) {
            assertEquals(v2.at(s), v3.at(s), 0.0);
        }
        assertTrue(v3.at(8000) < v2.at(8000));
        assertEquals(RecipePreset.V2.architecture(), RecipePreset.V3.architecture());
        assertEquals(RecipePreset.V2.unetSteps() - 2000, RecipePreset.V3.unetSteps() - RecipePreset.V3.unetCoolDownSteps());
    }

    @Test
    void aCoolDownLongerThanTheRunIsRefused() {
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> new CoolDown(1e-3, 10, 11));
        assertTrue(e.getMessage().contains("[0, 10]"), e.getMessage());
    }
}
