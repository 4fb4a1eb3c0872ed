package ddpo4j.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * Seeds' before and after values, each with its standard error, pooled as the mean over seeds
 * (standard errors combined as for a mean of independent estimates); the change's error treats
 * before and after as independent, which is conservative when they are positively correlated.
 */
final class SeedPool {
    private final List<Double> perSeed = new ArrayList<>();
    private double before;
    private double beforeVar;
    private double after;
    private double afterVar;
    private double wall;
    private int n;

    void add(double b, double bSe, double a, double aSe, int samples, double wallSeconds) {
        before += b;
        beforeVar += bSe * bSe;
        after += a;
        afterVar += aSe * aSe;
        n += samples;
        wall += wallSeconds;
        perSeed.add(a - b);
    }

    double change() {
        return (after - before) / perSeed.size();
    }

    double changeSe() {
        return Math.sqrt(beforeVar + afterVar) / perSeed.size();
    }

    FindingResult result(Finding f, Experiment e, String reward, boolean reproduced, String detail, List<Curve> curves) {
        int k = perSeed.size();
        return new FindingResult(f, e.name(), reward, before / k, Math.sqrt(beforeVar) / k, after / k,
                Math.sqrt(afterVar) / k, change(), changeSe(), n, perSeed, wall, reproduced, detail, curves, List.of());
    }
}
