package ddpo4j.rewards.combine;

/**
 * Standardizes one reward component by the running mean and standard deviation of every score it
 * has produced so far (this batch included), so components on different scales can be summed.
 */
final class RunningNormalizer {
    /** Added to the std, as ddpo-pytorch's per-prompt tracker does, so a constant reward maps to 0, not NaN. */
    static final double EPS = 1e-6;

    private long count;
    private double mean;
    private double sumSquares; // Welford's M2: sum of squared deviations from the running mean

    /** Adds {@code scores} to the running statistics, then returns them standardized. */
    synchronized double[] updateAndNormalize(double[] scores) {
        for (double x : scores) {
            count++;
            double d = x - mean;
            mean += d / count;
            sumSquares += d * (x - mean);
        }
        double std = count > 0 ? Math.sqrt(sumSquares / count) : 0; // population std, like numpy's default
        double[] out = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            out[i] = (scores[i] - mean) / (std + EPS);
        }
        return out;
    }
}
