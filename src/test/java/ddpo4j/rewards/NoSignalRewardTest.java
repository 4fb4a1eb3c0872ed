package ddpo4j.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.rewards.registry.Rewards;
import org.junit.jupiter.api.Test;

class NoSignalRewardTest {
    @Test
    void deterministicPerImageAndSeedUniformAndBlindToContent() throws Exception {
        RewardBatch batch = TestBatches.ofBrightness(0.1, 0.2, 0.3, 0.1);
        double[] a = Rewards.create("no_signal").score(batch).get().scores();
        double[] b = Rewards.create("no_signal:seed=0").score(batch).get().scores();
        assertEquals(a.length, 4);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], "the same image and seed give the same score");
            assertTrue(a[i] >= 0 && a[i] < 1);
        }
        assertEquals(a[0], a[3], "identical images score the same");
        assertNotEquals(a[0], a[1]);
        double[] other = Rewards.create("no_signal:seed=1").score(batch).get().scores();
        assertNotEquals(a[0], other[0], "another seed, other scores");

        // no signal: over many brightness levels the score neither rises nor falls with them
        int n = 2000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i / (double) n;
            y[i] = NoSignalReward.uniform(0, TestBatches.flat((float) x[i], 8, 8));
        }
        double mean = java.util.Arrays.stream(y).average().orElseThrow();
        assertEquals(0.5, mean, 0.02, "uniform: mean 1/2 (SE 0.0065)");
        double r = ddpo4j.eval.Stats.pearson(x, y);
        assertTrue(Math.abs(r) < 0.08, "uncorrelated with brightness (SE ~0.022): r = " + r);
    }
}
