package ddpo4j.rl;

import java.util.List;

/** Turns an epoch's rewards into advantages (before clipping to ±adv_clip_max). */
public interface AdvantageEstimator {
    double[] advantages(List<String> prompts, double[] rewards);

    /** Mean and population standard deviation (numpy's default), in double. */
    static double[] meanStd(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean);
        }
        return new double[] {mean, Math.sqrt(var / v.length)};
    }
}
