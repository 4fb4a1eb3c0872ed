package ddpo4j.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.io.JsonFile;
import ddpo4j.rl.RunDir;
import ddpo4j.rl.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three measures on run folders written by hand, where every number is known. */
class ReplayMeasuresTest {
    private static final String SET = "counting-heldout";
    private static final String MEAN = "eval." + SET + ".reward_mean";
    private static final String ERR = "eval." + SET + ".reward_stderr";

    @TempDir
    Path tmp;

    private static Experiment experiment(Finding f) {
        return new Experiment("x", "unused.yaml", Map.of(), List.of(f));
    }

    private static Path run(Path dir, long seed, double[] gold, double[] goldSe, double[] proxy, double[] monitor,
            double finalGold, double finalSe) throws IOException {
        Files.createDirectories(dir);
        TrainConfig cfg = TrainConfig.resolve(null, List.of("seed=" + seed, "eval.sets=" + SET,
                "reward_fn=judge:mode=strict", "eval.reward=count_alignment", "guard.monitor_reward=count_alignment",
                "guard.metric=" + MEAN, "guard.patience=2"));
        Files.writeString(dir.resolve("config.yaml"), cfg.toYaml());
        RunDir r = new RunDir(dir);
        double best = Double.NEGATIVE_INFINITY;
        int since = 0;
        for (int e = 0; e < proxy.length; e++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e);
            m.put("reward_mean", proxy[e]);
            m.put("monitor.mean", monitor[e]);
            if (e < gold.length) {
                m.put(MEAN, gold[e]);
                m.put(ERR, goldSe[e]);
                m.put("eval." + SET + ".num_samples", 32);
                since = gold[e] > best ? 0 : since + 1;
                best = Math.max(best, gold[e]);
                m.put("guard.evals_since_best", since);
            }
            r.appendMetrics(m);
        }
        JsonFile.write(dir.resolve(RunDir.FINAL_EVAL), Map.of(MEAN, finalGold, ERR, finalSe));
        Files.writeString(dir.resolve("wall-seconds"), "60.0");
        return dir;
    }

    @Test
    void pairedComparesEachSampleBeforeAndAfterPooledOverSeeds() throws IOException {
        Finding f = new Finding("e", "held-out gain", Finding.Measure.PAIRED, SET, "up");
        List<Path> runs = new ArrayList<>();
        double[][] before = {{0, 0, 1, 0}, {1, 0, 0, 0}};
        double[][] after = {{1, 0, 1, 1}, {1, 1, 0, 1}};
        for (int s = 0; s < 2; s++) {
            Path dir = tmp.resolve("paired-" + s);
            JsonFile.write(new RunDir(dir).samplesDir(0).resolve(RunDir.EVAL_REWARDS), Map.of(SET, before[s]));
            JsonFile.write(new RunDir(dir).finalSamplesDir().resolve(RunDir.EVAL_REWARDS), Map.of(SET, after[s]));
            runs.add(run(dir, s, new double[] {0}, new double[] {0}, new double[] {0}, new double[] {0}, 0, 0));
        }
        FindingResult r = Replay.measure(f, experiment(f), runs);
        // differences 1,0,0,1, 0,1,0,1: mean 0.5, sd 0.5345, se 0.189: 2.6 SE, short of 3
        assertEquals(0.25, r.before(), 1e-12);
        assertEquals(0.75, r.after(), 1e-12);
        assertEquals(0.5, r.change(), 1e-12);
        assertEquals(Math.sqrt(2.0 / 7) / Math.sqrt(8), r.changeSe(), 1e-12);
        assertEquals(8, r.n());
        assertEquals(List.of(0.5, 0.5), r.perSeed());
        assertEquals(120, r.wallSeconds(), 1e-9);
        assertFalse(r.reproduced(), "2.6 standard errors is not enough");
        Finding down = new Finding("e", "held-out loss", Finding.Measure.PAIRED, SET, "down");
        assertFalse(Replay.measure(down, experiment(down), runs).reproduced());
    }

    @Test
    void overOptimizationNeedsGoldToFallFromItsPeakWhileTheProxyRises() throws IOException {
        Finding f = new Finding("f", "over-optimization", Finding.Measure.OVEROPTIMIZATION, SET, "up");
        double[] goldSe = {0.02, 0.02, 0.02, 0.02};
        double[] proxy = {0.2, 0.4, 0.6, 0.7, 0.8, 0.9};
        double[] monitor = {0.2, 0.3, 0.3, 0.2, 0.1, 0.1};
        // gold at epochs 0..3, then the final evaluation (epoch 6): peak 0.5 at epoch 1, end 0.2
        Path a = run(tmp.resolve("over-0"), 0, new double[] {0.3, 0.5, 0.4, 0.3}, goldSe, proxy, monitor, 0.2, 0.02);
        Path b = run(tmp.resolve("over-1"), 1, new double[] {0.3, 0.45, 0.35, 0.3}, goldSe, proxy, monitor, 0.25, 0.02);
        FindingResult r = Replay.measure(f, experiment(f), List.of(a, b));
        assertTrue(r.reproduced(), r.detail());
        Curve c = r.curves().get(0);
        assertArrayEquals(new int[] {0, 1, 2, 3, 6}, c.epochs());
        assertArrayEquals(new double[] {0.3, 0.5, 0.4, 0.3, 0.2}, c.gold(), 1e-12);
        assertArrayEquals(new double[] {0.2, 0.4, 0.6, 0.7, 0.9}, c.proxy(), 1e-12);
        assertEquals(3, c.guardEpoch(), "two evaluations without a gain after the peak at epoch 1");
        assertEquals(0.3, r.before(), 1e-12);
        assertEquals(0.225, r.after(), 1e-12);
        assertEquals(64, r.n());

        // gold still at its best at the end: no over-optimization
        Path c1 = run(tmp.resolve("fine-0"), 0, new double[] {0.3, 0.4, 0.5, 0.55}, goldSe, proxy, monitor, 0.6, 0.02);
        assertFalse(Replay.measure(f, experiment(f), List.of(c1)).reproduced());
        // a fall within noise does not count
        Path d = run(tmp.resolve("noisy-0"), 0, new double[] {0.3, 0.5, 0.45, 0.48}, new double[] {0.05, 0.05, 0.05, 0.05},
                proxy, monitor, 0.45, 0.05);
        assertFalse(Replay.measure(f, experiment(f), List.of(d)).reproduced());
    }

    @Test
    void theProxyGapComparesTheFirstAndLastEpochsOfTrainingSamples() throws IOException {
        Finding f = new Finding("g", "fools the judge", Finding.Measure.PROXY_GAP, SET, "up");
        double[] proxy = {0.2, 0.21, 0.19, 0.2, 0.5, 0.6, 0.7, 0.8, 0.9};
        double[] monitor = {0.1, 0.1, 0.11, 0.09, 0.2, 0.2, 0.21, 0.19, 0.2};
        Path a = run(tmp.resolve("gap-0"), 0, new double[] {0.1}, new double[] {0.01}, proxy, monitor, 0.1, 0.01);
        FindingResult r = Replay.measure(f, experiment(f), List.of(a));
        // windows of 3 epochs: gaps 0.1, 0.11, 0.08 then 0.49, 0.61, 0.7
        assertEquals((0.1 + 0.11 + 0.08) / 3, r.before(), 1e-12);
        assertEquals((0.49 + 0.61 + 0.7) / 3, r.after(), 1e-12);
        assertTrue(r.reproduced(), r.detail());
        Path flat = run(tmp.resolve("gap-flat"), 0, new double[] {0.1}, new double[] {0.01}, proxy, proxy, 0.1, 0.01);
        assertFalse(Replay.measure(f, experiment(f), List.of(flat)).reproduced());

        // the gold monitor alone: 0.1, 0.1, 0.11 then 0.21, 0.19, 0.2
        Finding gold = new Finding("c", "gold follows", Finding.Measure.MONITOR, SET, "up");
        FindingResult g = Replay.measure(gold, experiment(gold), List.of(a));
        assertEquals(0.31 / 3, g.before(), 1e-12);
        assertEquals(0.2, g.after(), 1e-12);
        assertTrue(g.reproduced(), g.detail());
        Finding goldDown = new Finding("c", "gold falls", Finding.Measure.MONITOR, SET, "down");
        assertFalse(Replay.measure(goldDown, experiment(goldDown), List.of(a)).reproduced());
    }
}
