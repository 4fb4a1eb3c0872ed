package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Advantage estimators against hand-computed values. */
class AdvantagesTest {
    @Test
    void perPromptTrackerFallsBackToTheBatchBelowMinCount() {
        PerPromptStatTracker t = new PerPromptStatTracker(3, 3);
        List<String> prompts = List.of("a", "a", "b", "b");
        double[] r = {1, 3, 10, 20};
        // batch mean 8.5, population std sqrt(((7.5^2)+(5.5^2)+(1.5^2)+(11.5^2))/4)
        double std = Math.sqrt((56.25 + 30.25 + 2.25 + 132.25) / 4) + 1e-6;
        double[] a = t.advantages(prompts, r);
        assertArrayEquals(new double[] {(1 - 8.5) / std, (3 - 8.5) / std, (10 - 8.5) / std, (20 - 8.5) / std}, a, 1e-12);
        // second epoch: "a" now holds 3 rewards (buffer full: 1, 3, 5 -> keeps last 3 after adding 5, 7)
        double[] a2 = t.advantages(List.of("a", "a"), new double[] {5, 7});
        // buffer a = [3, 5, 7] (size 3), mean 5, std sqrt(8/3)
        double s = Math.sqrt(8.0 / 3) + 1e-6;
        assertArrayEquals(new double[] {0 / s, 2 / s}, a2, 1e-12);
        assertEquals(List.of(3.0, 5.0, 7.0), t.state().get("a"));
    }

    @Test
    void trackerStateRoundTrips() {
        PerPromptStatTracker t = new PerPromptStatTracker(16, 2);
        t.advantages(List.of("x", "y", "x"), new double[] {1, 2, 3});
        PerPromptStatTracker u = new PerPromptStatTracker(16, 2);
        u.restore(t.state());
        assertArrayEquals(t.advantages(List.of("x", "y"), new double[] {4, 5}),
                u.advantages(List.of("x", "y"), new double[] {4, 5}), 0);
        assertEquals(Map.of("x", List.of(1.0, 3.0, 4.0), "y", List.of(2.0, 5.0)), u.state());
    }

    @Test
    void groupsNormalizeWithinEachPrompt() {
        double[] a = new GroupAdvantages().advantages(List.of("p", "q", "p", "q"), new double[] {1, 10, 3, 30});
        double sp = 1 + 1e-6;
        double sq = 10 + 1e-6;
        assertArrayEquals(new double[] {-1 / sp, -10 / sq, 1 / sp, 10 / sq}, a, 1e-12);
    }

    @Test
    void batchNormalization() {
        double[] a = new BatchAdvantages().advantages(List.of("p", "p"), new double[] {2, 4});
        assertArrayEquals(new double[] {-1 / (1 + 1e-8), 1 / (1 + 1e-8)}, a, 1e-12);
    }
    @Test
    void centredGroupsShareOneEpochWideScale() {
        // p is nearly always right (tiny spread), q is where the differences are.
        double[] a = new CenteredGroupAdvantages().advantages(List.of("p", "q", "p", "q"),
                new double[] {0.99, 0.2, 0.999, 0.8});
        double[] centred = {-0.0045, -0.3, 0.0045, 0.3};
        double std = Math.sqrt((2 * 0.0045 * 0.0045 + 2 * 0.3 * 0.3) / 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(centred[i] / (std + 1e-8), a[i], 1e-9);
        }
        // The per-group std would blow p's noise up to the size of q's real difference.
        double[] g = new GroupAdvantages().advantages(List.of("p", "q", "p", "q"), new double[] {0.99, 0.2, 0.999, 0.8});
        assertEquals(Math.abs(g[1]), Math.abs(g[0]), 1e-3);
        assertTrue(Math.abs(a[0]) < 0.02 * Math.abs(a[1]));
    }

    @Test
    void centredGroupsOfEqualRewardsGiveZero() {
        assertArrayEquals(new double[] {0, 0, 0}, new CenteredGroupAdvantages().advantages(List.of("p", "p", "q"),
                new double[] {0.5, 0.5, 0.7}), 0);
    }
}
