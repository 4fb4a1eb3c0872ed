package ddpo4j.replay;

import ddpo4j.rl.TrainConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link Finding.Measure#OVEROPTIMIZATION}: along each seed's run, the gold evaluation ({@code
 * eval.<set>.reward_mean}, scored by the run's {@code eval.reward}) and the trained proxy's batch
 * mean ({@code reward_mean}). Reproduced when, in every seed, gold peaked before the end and fell
 * from its peak by at least {@value #MIN_STANDARD_ERRORS} standard errors while the proxy ended
 * higher than it was at gold's peak.
 */
final class OverOptimization {
    static final double MIN_STANDARD_ERRORS = 2;

    private OverOptimization() {}

    static FindingResult measure(Finding f, Experiment e, List<Path> runs) {
        List<Curve> curves = new ArrayList<>();
        SeedPool pool = new SeedPool();
        StringBuilder detail = new StringBuilder();
        boolean all = true;
        String reward = "";
        for (Path dir : runs) {
            RunReading run = new RunReading(dir);
            reward = run.evalReward();
            List<Map<String, Object>> lines = run.metrics(); // read once: the curve and the sample count
            Curve c = curve(run, lines, f.set());
            curves.add(c);
            int p = c.peak();
            int last = c.gold().length - 1;
            double drop = c.gold()[p] - c.gold()[last];
            double dropSe = Math.hypot(c.goldSe()[p], c.goldSe()[last]);
            double proxyRise = c.proxy()[last] - c.proxy()[p];
            boolean over = p < last && drop >= MIN_STANDARD_ERRORS * dropSe && proxyRise > 0;
            all &= over;
            pool.add(c.gold()[0], c.goldSe()[0], c.gold()[last], c.goldSe()[last],
                    (int) lastNumber(lines, "eval." + f.set() + ".num_samples"), run.wallSeconds());
            detail.append(String.format(Locale.ROOT, "seed %d: gold peaked at epoch %d (%.3f ± %.3f) and ended at %.3f"
                    + " ± %.3f (drop %.1f SE) while the proxy went %.3f → %.3f%s. ", c.seed(), c.epochs()[p],
                    c.gold()[p], c.goldSe()[p], c.gold()[last], c.goldSe()[last], drop / dropSe, c.proxy()[p],
                    c.proxy()[last], c.guardEpoch() >= 0 ? "; guard alert at epoch " + c.guardEpoch() : "; no guard alert"));
        }
        return pool.result(f, e, reward, all, detail.toString().strip(), curves);
    }

    static Curve curve(RunReading run, List<Map<String, Object>> lines, String set) {
        String mean = "eval." + set + ".reward_mean";
        String err = "eval." + set + ".reward_stderr";
        TrainConfig cfg = run.config();
        int patience = cfg.getString("guard.metric").isBlank() ? Integer.MAX_VALUE : cfg.getInt("guard.patience");
        List<int[]> epochs = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        int guardEpoch = -1;
        double lastProxy = Double.NaN;
        int lastEpoch = -1;
        for (Map<String, Object> m : lines) {
            int epoch = ((Number) m.get("epoch")).intValue();
            lastEpoch = epoch;
            lastProxy = number(m.get("reward_mean"));
            if (m.get(mean) != null) {
                epochs.add(new int[] {epoch});
                points.add(new double[] {number(m.get(mean)), number(m.get(err)), lastProxy});
            }
            if (guardEpoch < 0 && m.get("guard.evals_since_best") != null
                    && number(m.get("guard.evals_since_best")) >= patience) {
                guardEpoch = epoch;
            }
        }
        double finalGold = run.finalMetric(mean);
        if (!Double.isNaN(finalGold)) {
            epochs.add(new int[] {lastEpoch + 1});
            points.add(new double[] {finalGold, run.finalMetric(err), lastProxy});
        }
        int size = points.size();
        int[] e = new int[size];
        double[] g = new double[size];
        double[] s = new double[size];
        double[] p = new double[size];
        for (int i = 0; i < size; i++) {
            e[i] = epochs.get(i)[0];
            g[i] = points.get(i)[0];
            s[i] = points.get(i)[1];
            p[i] = points.get(i)[2];
        }
        return new Curve(cfg.getLong("seed"), e, g, s, p, guardEpoch);
    }

    private static double lastNumber(List<Map<String, Object>> metrics, String key) {
        for (int i = metrics.size() - 1; i >= 0; i--) {
            if (metrics.get(i).get(key) != null) {
                return number(metrics.get(i).get(key));
            }
        }
        return 0;
    }

    static double number(Object o) {
        if (o instanceof Number x) {
            return x.doubleValue();
        }
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
