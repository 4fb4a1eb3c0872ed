package ddpo4j.rl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One epoch's training statistics for metrics.jsonl. Loss terms are gathered per accumulation
 * window (the minibatches of one optimizer step) and enter the epoch's means only when that step
 * is taken: a skipped non-finite step is counted by {@link NonFiniteGuard}, not averaged in, so
 * one NaN does not turn the epoch's loss curve into NaN. Such an epoch's means cover fewer windows
 * than it trained on; {@code optimizer_steps_skipped} in its metrics says how many were left out.
 */
final class EpochStats {
    private double lossSum;
    private double klSum;
    private double clipSum;
    private int terms;
    private double gradNormSum;
    private int steps;
    private int skipped;
    // the open accumulation window: its terms, {loss, approx_kl, clipfrac}, added to the sums one by one in
    // order when the step is taken, so the means are summed exactly as a term-by-term running sum would be
    private final List<double[]> window = new ArrayList<>();
    private double firstNonFiniteLoss = Double.NaN;
    private boolean windowFinite = true;

    /** One loss term (a minibatch at one timestep) of the open window. */
    void term(double loss, double approxKl, double clipFrac) {
        if (!Double.isFinite(loss) && windowFinite) {
            windowFinite = false;
            firstNonFiniteLoss = loss;
        }
        window.add(new double[] {loss, approxKl, clipFrac});
    }

    /** Whether every loss term of the open window was finite. */
    boolean windowFinite() {
        return windowFinite;
    }

    /** The first non-finite loss value of the open window (NaN, or an infinity). */
    double firstNonFiniteLoss() {
        return firstNonFiniteLoss;
    }

    /** The window's step was taken with this gradient norm: its terms count. */
    void stepTaken(double gradNorm) {
        for (double[] t : window) {
            lossSum += t[0];
            klSum += t[1];
            clipSum += t[2];
            terms++;
        }
        gradNormSum += gradNorm;
        steps++;
        resetWindow();
    }

    /** Optimizer steps taken so far this epoch. */
    int stepsTaken() {
        return steps;
    }

    /** The window's step was skipped: its terms are left out. */
    void stepSkipped() {
        skipped++;
        resetWindow();
    }

    private void resetWindow() {
        window.clear();
        windowFinite = true;
        firstNonFiniteLoss = Double.NaN;
    }

    /**
     * loss, approx_kl, clipfrac (means over the terms of taken steps only), ratio_at_start, grad_norm,
     * optimizer_steps (taken), optimizer_steps_skipped (left out of those means).
     */
    Map<String, Double> toMetrics(double ratioAtStart) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", terms == 0 ? Double.NaN : lossSum / terms);
        out.put("approx_kl", terms == 0 ? Double.NaN : klSum / terms);
        out.put("clipfrac", terms == 0 ? Double.NaN : clipSum / terms);
        out.put("ratio_at_start", ratioAtStart);
        out.put("grad_norm", steps == 0 ? 0 : gradNormSum / steps);
        out.put("optimizer_steps", (double) steps);
        out.put("optimizer_steps_skipped", (double) skipped);
        return out;
    }

    /** The metrics of an epoch with nothing to train on (every sample dropped). */
    static Map<String, Double> nothingTrained() {
        return new EpochStats().toMetrics(Double.NaN);
    }
}
