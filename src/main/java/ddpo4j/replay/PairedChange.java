package ddpo4j.replay;

import ddpo4j.eval.Stats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link Finding.Measure#PAIRED}: the evaluation before training against the one after, sample by
 * sample (the same prompts and noise seeds), pooled over seeds. Reproduced when the mean paired
 * difference is in the claimed direction by at least {@value #MIN_STANDARD_ERRORS} standard errors
 * and every seed moved that way.
 */
final class PairedChange {
    static final double MIN_STANDARD_ERRORS = 3;

    private PairedChange() {}

    static FindingResult measure(Finding f, Experiment e, List<Path> runs) {
        List<Double> before = new ArrayList<>();
        List<Double> after = new ArrayList<>();
        List<Double> diff = new ArrayList<>();
        List<Double> perSeed = new ArrayList<>();
        double wall = 0;
        String reward = "";
        for (Path dir : runs) {
            RunReading run = new RunReading(dir);
            reward = run.evalReward();
            double[] b = run.firstEvaluation(f.set());
            double[] a = run.lastEvaluation(f.set());
            if (a.length != b.length) {
                throw new IllegalStateException(dir + ": " + b.length + " samples before, " + a.length + " after");
            }
            double[] d = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                before.add(b[i]);
                after.add(a[i]);
                d[i] = a[i] - b[i];
                diff.add(d[i]);
            }
            perSeed.add(Stats.mean(d));
            wall += run.wallSeconds();
        }
        double[] bs = unbox(before);
        double[] as = unbox(after);
        double[] ds = unbox(diff);
        double change = Stats.mean(ds);
        double se = Stats.stderr(ds);
        boolean allSeeds = perSeed.stream().allMatch(c -> c * f.sign() > 0);
        boolean reproduced = change * f.sign() >= MIN_STANDARD_ERRORS * se && allSeeds;
        String detail = String.format(Locale.ROOT, "paired difference %+.4f ± %.4f (%.1f SE, claimed %s) on %d samples;"
                + " seeds moved %s", change, se, change / se, f.direction(), ds.length,
                allSeeds ? "all the claimed way" : "not all the claimed way");
        return new FindingResult(f, e.name(), reward, Stats.mean(bs), Stats.stderr(bs), Stats.mean(as),
                Stats.stderr(as), change, se, ds.length, perSeed, wall, reproduced, detail, List.of(), List.of());
    }

    static double[] unbox(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
