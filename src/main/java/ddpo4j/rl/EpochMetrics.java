package ddpo4j.rl;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One epoch's line of metrics.jsonl, assembled in a fixed key order from what the epoch measured. */
final class EpochMetrics {
    /** Wall-clock marks of an epoch's phases, from {@link System#nanoTime()}. */
    record Timings(long start, long sampled, long scored, long trained) {}

    private EpochMetrics() {}

    /**
     * @param prompts the prompt of each kept sample, aligned with {@code rewards} and {@code advantages}
     * @param training the training phase's statistics ({@link EpochStats#toMetrics})
     * @param guards the NaN guard's counters for this epoch
     * @param rewardStats the reward's latency and throughput figures for this epoch
     */
    static Map<String, Object> of(int epoch, List<String> prompts, double[] rewards, double[] advantages,
            Map<String, Double> training, Map<String, ?> guards, Timings t, Map<String, ?> rewardStats,
            double learningRate) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("num_samples", rewards.length);
        double[] ms = AdvantageEstimator.meanStd(rewards);
        m.put("reward_mean", ms[0]);
        m.put("reward_std", ms[1]);
        m.putAll(training);
        m.putAll(guards);
        m.put("seconds_sampling", (t.sampled() - t.start()) / 1e9);
        m.put("seconds_reward_wait", (t.scored() - t.sampled()) / 1e9);
        m.put("seconds_training", (t.trained() - t.scored()) / 1e9);
        m.put("samples_per_s", rewards.length / ((t.trained() - t.start()) / 1e9));
        m.putAll(rewardStats);
        m.put("peak_rss_mb", ProcessStats.peakRssMb());
        m.put("rss_mb", ProcessStats.rssMb());
        Runtime rt = Runtime.getRuntime();
        m.put("jvm_heap_mb", (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
        m.put("learning_rate", learningRate);
        double[] am = AdvantageEstimator.meanStd(advantages);
        m.put("advantage_mean", am[0]);
        m.put("advantage_std", am[1]);
        m.put("advantage_abs_max", Arrays.stream(advantages).map(Math::abs).max().orElse(0));
        m.put("reward_mean_per_prompt", meanPerPrompt(prompts, rewards));
        return m;
    }

    /** Mean reward of each prompt, by prompt (sorted, so the line's bytes do not depend on hash order). */
    private static Map<String, Double> meanPerPrompt(List<String> prompts, double[] rewards) {
        Map<String, double[]> sums = new TreeMap<>();
        for (int i = 0; i < rewards.length; i++) {
            double[] acc = sums.computeIfAbsent(prompts.get(i), k -> new double[2]);
            acc[0] += rewards[i];
            acc[1]++;
        }
        Map<String, Double> means = new TreeMap<>();
        sums.forEach((k, v) -> means.put(k, v[0] / v[1]));
        return means;
    }
}
