package ddpo4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvalResultTest {
    private static EvalResult result(double... rewards) {
        List<EvalSample> s = new java.util.ArrayList<>();
        for (int i = 0; i < rewards.length; i++) {
            s.add(new EvalSample(i, i / 2, i % 2, "p" + i / 2, i, rewards[i], Map.of()));
        }
        return new EvalResult("set", s);
    }

    @Test
    void meanStandardErrorAndPerPrompt() {
        EvalResult r = result(1, 0, 1, 1);
        assertEquals(0.75, r.rewardMean(), 1e-12);
        assertEquals(0.5, r.rewardStd(), 1e-12); // sqrt(0.75 / 3)
        assertEquals(0.25, r.rewardStderr(), 1e-12);
        assertEquals(Map.of("p0", 0.5, "p1", 1.0), r.meanPerPrompt());
        Map<String, Object> s = r.summary();
        assertEquals(4, s.get("num_samples"));
        assertEquals(0.25, (Double) s.get("reward_stderr"), 1e-12);
        assertNull(result(1).summary().get("reward_stderr"), "undefined for one sample, null in JSON");
        assertEquals(0.75, (Double) r.epochMetrics().get("eval.set.reward_mean"), 1e-12);
        assertEquals(0.25, (Double) r.epochMetrics().get("eval.set.reward_stderr"), 1e-12);
    }

    @Test
    void pairedDifference() {
        EvalResult base = result(0, 0, 1, 0);
        EvalResult tuned = result(1, 0, 1, 1);
        Map<String, Object> d = tuned.differenceFrom(base);
        assertEquals(0.5, (Double) d.get("reward_mean"), 1e-12);
        assertEquals(Math.sqrt(1.0 / 3) / 2, (Double) d.get("reward_stderr"), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> tuned.differenceFrom(result(1, 0)));
    }
}
