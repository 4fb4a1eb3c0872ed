package ddpo4j.rl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** The indices of each prompt's samples, prompts in first-seen order. */
    static Map<String, List<Integer>> groupsOf(List<String> prompts) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            groups.computeIfAbsent(prompts.get(i), k -> new ArrayList<>()).add(i);
        }
        return groups;
    }
}
