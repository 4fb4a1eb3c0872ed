package ddpo4j.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of evaluating one prompt set: the reward's mean with its standard error (sample
 * standard deviation / √n), per-prompt means, and every sample.
 */
public record EvalResult(String promptSet, List<EvalSample> samples) {
    public EvalResult {
        samples = List.copyOf(samples);
    }

    public int numSamples() {
        return samples.size();
    }

    public double[] rewards() {
        return samples.stream().mapToDouble(EvalSample::reward).toArray();
    }

    public double rewardMean() {
        return Stats.mean(rewards());
    }

    /** Sample standard deviation (n − 1); NaN below two samples. */
    public double rewardStd() {
        return Stats.std(rewards());
    }

    /** Standard error of the mean; NaN below two samples. */
    public double rewardStderr() {
        return Stats.stderr(rewards());
    }

    /** Mean reward per prompt, in the set's order (a prompt listed twice is pooled). */
    public Map<String, Double> meanPerPrompt() {
        Map<String, List<Double>> by = new LinkedHashMap<>();
        samples.forEach(s -> by.computeIfAbsent(s.prompt(), k -> new ArrayList<>()).add(s.reward()));
        Map<String, Double> out = new LinkedHashMap<>();
        by.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
        return out;
    }

    /**
     * The summary as printed by {@code ddpo4j eval}: {@code prompt_set}, {@code num_samples},
     * {@code reward_mean}, {@code reward_std}, {@code reward_stderr} (null below two samples) and
     * {@code reward_mean_per_prompt}.
     */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prompt_set", promptSet);
        m.put("num_samples", numSamples());
        m.put("reward_mean", Stats.finiteOrNull(rewardMean()));
        m.put("reward_std", Stats.finiteOrNull(rewardStd()));
        m.put("reward_stderr", Stats.finiteOrNull(rewardStderr()));
        m.put("reward_mean_per_prompt", meanPerPrompt());
        return m;
    }

    /**
     * The flat keys a trainer adds to an epoch's {@code metrics.jsonl} line, as {@code report.html}
     * reads them: {@code eval.<set>.reward_mean}, {@code eval.<set>.reward_stderr},
     * {@code eval.<set>.num_samples}.
     */
    public Map<String, Object> epochMetrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        String p = "eval." + promptSet + ".";
        m.put(p + "reward_mean", Stats.finiteOrNull(rewardMean()));
        m.put(p + "reward_stderr", Stats.finiteOrNull(rewardStderr()));
        m.put(p + "num_samples", numSamples());
        return m;
    }

    /**
     * Paired comparison with {@code base}, evaluated on the same prompts and noise: the mean of the
     * per-sample differences (this − base) and its standard error, which is smaller than either
     * model's own when the noise makes the two images alike.
     */
    public Map<String, Object> differenceFrom(EvalResult base) {
        if (base.numSamples() != numSamples()) {
            throw new IllegalArgumentException(numSamples() + " samples vs " + base.numSamples() + " in the base run");
        }
        double[] d = new double[numSamples()];
        for (int i = 0; i < d.length; i++) {
            if (samples.get(i).index() != base.samples().get(i).index()) {
                throw new IllegalArgumentException("sample " + i + " is not the same sample in both runs");
            }
            d[i] = samples.get(i).reward() - base.samples().get(i).reward();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reward_mean", Stats.finiteOrNull(Stats.mean(d)));
        m.put("reward_stderr", Stats.finiteOrNull(Stats.stderr(d)));
        return m;
    }
}
