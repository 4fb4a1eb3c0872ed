package ddpo4j.replay;

import ddpo4j.eval.Stats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures on every epoch's training samples, compared over the first and the last {@value #WINDOW}
 * epochs (standard errors from the epochs' spread); reproduced when the value moved the claimed way
 * in every seed and by at least {@value #MIN_STANDARD_ERRORS} standard errors pooled.
 * <ul>
 *   <li>{@link Finding.Measure#PROXY_GAP}: the trained proxy's mean ({@code reward_mean}) minus the
 *       gold monitor's ({@code monitor.mean}, from {@code guard.monitor_reward}, never trained on). A
 *       policy that learns to fool its judge widens the gap.
 *   <li>{@link Finding.Measure#MONITOR}: the gold monitor alone (does gold follow the proxy?).
 * </ul>
 */
final class TrainingWindows {
    static final int WINDOW = 5;
    static final double MIN_STANDARD_ERRORS = 3;

    private TrainingWindows() {}

    static FindingResult measure(Finding f, Experiment e, List<Path> runs) {
        boolean gap = f.measure() == Finding.Measure.PROXY_GAP;
        List<Curve> curves = new ArrayList<>();
        SeedPool pool = new SeedPool();
        boolean all = true;
        int window = 0;
        String reward = "";
        for (Path dir : runs) {
            RunReading run = new RunReading(dir);
            reward = gap ? run.config().getString("reward_fn") + " − " + run.config().getString("guard.monitor_reward")
                    : run.config().getString("guard.monitor_reward") + " on training samples";
            List<Map<String, Object>> lines = run.metrics();
            int size = lines.size();
            int[] epochs = new int[size];
            double[] value = new double[size];
            double[] gold = new double[size];
            double[] proxy = new double[size];
            for (int i = 0; i < size; i++) {
                Map<String, Object> m = lines.get(i);
                epochs[i] = (int) OverOptimization.number(m.get("epoch"));
                proxy[i] = OverOptimization.number(m.get("reward_mean"));
                gold[i] = OverOptimization.number(m.get("monitor.mean"));
                value[i] = gap ? proxy[i] - gold[i] : gold[i];
            }
            if (Double.isNaN(Stats.mean(gold))) {
                throw new IllegalStateException(dir + ": no monitor.mean in metrics.jsonl (set guard.monitor_reward)");
            }
            int k = Math.max(1, Math.min(WINDOW, size / 3));
            double[] first = Arrays.copyOfRange(value, 0, k);
            double[] last = Arrays.copyOfRange(value, size - k, size);
            double b = Stats.mean(first);
            double a = Stats.mean(last);
            pool.add(b, Stats.stderr(first), a, Stats.stderr(last), k, run.wallSeconds());
            all &= (a - b) * f.sign() > 0;
            window = k;
            curves.add(new Curve(run.config().getLong("seed"), epochs, gold, new double[size], proxy, -1));
        }
        double change = pool.change();
        double se = pool.changeSe();
        boolean reproduced = all && change * f.sign() >= MIN_STANDARD_ERRORS * se;
        String detail = String.format(Locale.ROOT, "%s on the training samples, first vs last %d epochs per seed:"
                + " %+.4f ± %.4f (%.1f SE); moved %s in %s", gap ? "proxy minus gold" : "gold", window, change, se,
                change / se, f.direction(), all ? "every seed" : "not every seed");
        return pool.result(f, e, reward, reproduced, detail, curves);
    }
}
