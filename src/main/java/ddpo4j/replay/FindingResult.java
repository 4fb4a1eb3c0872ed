package ddpo4j.replay;

import java.util.List;

/**
 * One row of the replay's table: a finding measured over its experiment's seeds.
 *
 * @param reward the reward the numbers are in (the experiment's gold {@code eval.reward} if it has
 *     one, else its training reward)
 * @param before value before training (pooled over seeds), with its standard error
 * @param after value after training (or at the end of the run), with its standard error
 * @param change after - before, paired where the measure allows, with its standard error
 * @param n samples behind each of before and after, all seeds together
 * @param perSeed the change of each seed, in seed order
 * @param wallSeconds training and evaluation time of all seeds' runs
 * @param reproduced whether the numbers show the claim by the measure's rule
 * @param detail how the verdict was reached, in a sentence or two
 * @param curves per seed, what the measure read along the run (empty for a before/after measure)
 * @param grid for the proxy-gap finding, the first seed's evaluation images before and after with
 *     the proxy's and the gold measure's verdicts (else empty)
 */
public record FindingResult(Finding finding, String experiment, String reward, double before, double beforeSe,
        double after, double afterSe, double change, double changeSe, int n, List<Double> perSeed,
        double wallSeconds, boolean reproduced, String detail, List<Curve> curves, List<JudgedImage> grid) {
    public FindingResult {
        perSeed = List.copyOf(perSeed);
        curves = List.copyOf(curves);
        grid = List.copyOf(grid);
    }

    FindingResult withGrid(List<JudgedImage> images) {
        return new FindingResult(finding, experiment, reward, before, beforeSe, after, afterSe, change, changeSe, n,
                perSeed, wallSeconds, reproduced, detail, curves, images);
    }

    public String verdict() {
        return reproduced ? "reproduced" : "not reproduced";
    }
}
