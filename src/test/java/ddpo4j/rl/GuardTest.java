package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuardTest {
    private static Guard guard(boolean maximize, int patience, double minDelta) {
        return new Guard(new Guard.Settings("eval.gold", maximize, Guard.Action.WARN, patience, minDelta));
    }

    private static Map<String, Object> eval(double v) {
        return Map.of("eval.gold", v);
    }

    @Test
    void alertsAfterPatienceEvaluationsWithoutAGainAboveMinDelta() {
        Guard g = guard(true, 2, 0.05);
        assertEquals(Guard.Verdict.IMPROVED, g.observe(0, eval(0.30)));
        assertEquals(Guard.Verdict.IMPROVED, g.observe(1, eval(0.40)));
        assertEquals(Guard.Verdict.NO_GAIN, g.observe(2, eval(0.44)), "a gain of 0.04 is not above min_delta");
        assertEquals(Guard.Verdict.ALERT, g.observe(3, eval(0.20)));
        assertEquals(Map.of("guard.best", 0.40, "guard.best_epoch", 1, "guard.evals_since_best", 2), g.toMetrics());
        assertEquals(Guard.Verdict.IMPROVED, g.observe(4, eval(0.50)), "a new best resets the count");
    }

    @Test
    void minModeAndMissingOrNonFiniteValues() {
        Guard g = guard(false, 1, 0);
        assertEquals(Guard.Verdict.NOT_MEASURED, g.observe(0, Map.of("loss", 1.0)));
        assertEquals(Guard.Verdict.NOT_MEASURED, g.observe(0, eval(Double.NaN)));
        assertEquals(Guard.Verdict.IMPROVED, g.observe(1, eval(2.0)));
        assertEquals(Guard.Verdict.IMPROVED, g.observe(2, eval(1.0)));
        assertEquals(Guard.Verdict.ALERT, g.observe(3, eval(1.5)));
    }

    @Test
    void aDisabledGuardNeverMeasures() {
        Guard g = new Guard(new Guard.Settings("", true, Guard.Action.STOP, 1, 0));
        assertEquals(Guard.Verdict.NOT_MEASURED, g.observe(0, eval(1.0)));
        assertEquals(Map.of(), g.toMetrics());
    }

    @Test
    void replayingTheMetricsLinesRestoresTheState() {
        Guard live = guard(true, 3, 0);
        List<Map<String, Object>> lines = List.of(Map.of("epoch", 0, "eval.gold", 0.1),
                Map.of("epoch", 1, "loss", 0.0), Map.of("epoch", 2, "eval.gold", 0.3),
                Map.of("epoch", 3, "eval.gold", 0.2));
        for (Map<String, Object> line : lines) {
            live.observe((int) line.get("epoch"), line);
        }
        Guard resumed = guard(true, 3, 0);
        resumed.replay(lines);
        assertEquals(live.toMetrics(), resumed.toMetrics());
        assertEquals(live.observe(4, eval(0.25)), resumed.observe(4, eval(0.25)));
    }
}
