package ddpo4j.replay;

import ddpo4j.eval.Stats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link Finding.Measure#PROXY_GAP}: on every epoch's training samples, the trained proxy's mean
 * ({@code reward_mean}) minus the gold monitor's ({@code monitor.mean}, from {@code
 * guard.monitor_reward}, never trained on). A policy that learns to fool its judge widens the gap.
 * Compared over the first and the last {@value #WINDOW} epochs (standard errors from the epochs'
 * spread); reproduced when the gap widened in every seed and by at least {@value
 * #MIN_STANDARD_ERRORS} standard errors pooled.
 */
final class ProxyGap {
    static final int WINDOW = 5;
    static final double MIN_STANDARD_ERRORS = 3;

    private ProxyGap() {}

    static FindingResult measure(Finding f, Experiment e, List<Path> runs) {
        List<Curve> curves = new ArrayList<>();
        SeedPool pool = new SeedPool();
        boolean all = true;
        int window = 0;
        String reward = "";
        for (Path dir : runs) {
            RunReading run = new RunReading(dir);
            reward = run.config().getString("reward_fn") + " − " + run.config().getString("guard.monitor_reward");
            List<Map<String, Object>> lines = run.metrics();
            int size = lines.size();
            int[] epochs = new int[size];
            double[] gap = new double[size];
            double[] gold = new double[size];
            double[] proxy = new double[size];
            for (int i = 0; i < size; i++) {
                Map<String, Object> m = lines.get(i);
                epochs[i] = (int) OverOptimization.number(m.get("epoch"));
                proxy[i] = OverOptimization.number(m.get("reward_mean"));
                gold[i] = OverOptimization.number(m.get("monitor.mean"));
                gap[i] = proxy[i] - gold[i];
            }
            if (Double.isNaN(Stats.mean(gold))) {
                throw new IllegalStateException(dir + ": no monitor.mean in metrics.jsonl (set guard.monitor_reward)");
            }
            int k = Math.max(1, Math.min(WINDOW, size / 3));
            double[] first = Arrays.copyOfRange(gap, 0, k);
            double[] last = Arrays.copyOfRange(gap, size - k, size);
            double b = Stats.mean(first);
            double a = Stats.mean(last);
            pool.add(b, Stats.stderr(first), a, Stats.stderr(last), k, run.wallSeconds());
            all &= a > b;
            window = k;
            curves.add(new Curve(run.config().getLong("seed"), epochs, gold, new double[size], proxy, -1));
        }
        double change = pool.change();
        double se = pool.changeSe();
        boolean reproduced = all && change >= MIN_STANDARD_ERRORS * se;
        String detail = String.format(Locale.ROOT, "proxy minus gold on the training samples, first vs last %d epochs"
                + " per seed: %+.4f ± %.4f (%.1f SE); widened in %s", window, change, se, change / se,
                all ? "every seed" : "not every seed");
        return pool.result(f, e, reward, reproduced, detail, curves);
    }
}
