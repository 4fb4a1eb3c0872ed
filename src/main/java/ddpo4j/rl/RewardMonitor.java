package ddpo4j.rl;

import ddpo4j.eval.Stats;
import ddpo4j.rewards.ScoredBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The monitor reward's verdict on an epoch's samples ({@code guard.monitor_reward}): its mean, and
 * its Pearson correlation with the training reward over the samples both scored. A proxy being
 * gamed shows as the training reward rising while the monitor's mean stalls and the correlation
 * falls. A monitor that fails on a sample only leaves that sample out, never stops the run.
 */
final class RewardMonitor {
    private RewardMonitor() {}

    /**
     * @param batches the epoch's batches, in order, each with its monitor scores
     * @param kept the samples the training reward scored, with their {@code scores}
     */
    static Map<String, Object> metrics(List<SampledBatch> batches, List<SampleRecord> kept, double[] scores) {
        Map<Long, Double> byIndex = new HashMap<>();
        int failed = 0;
        for (SampledBatch batch : batches) {
            ScoredBatch b = batch.monitor();
            for (int r = 0; r < b.size(); r++) {
                if (b.ok(r)) {
                    byIndex.put(batch.records().get(r).index(), b.score(r));
                } else {
                    failed++;
                }
            }
        }
        List<double[]> pairs = new ArrayList<>();
        for (int k = 0; k < kept.size(); k++) {
            Double m = byIndex.get(kept.get(k).index());
            if (m != null) {
                pairs.add(new double[] {scores[k], m});
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("monitor.mean", byIndex.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
        out.put("monitor.correlation", pearson(pairs));
        out.put("monitor.failed", failed);
        return out;
    }

    /** Pearson's r of the pairs (x, y); NaN below 3 pairs or when either side is constant. */
    static double pearson(List<double[]> pairs) {
        return Stats.pearson(pairs.stream().mapToDouble(p -> p[0]).toArray(), pairs.stream().mapToDouble(p -> p[1]).toArray());
    }
}
