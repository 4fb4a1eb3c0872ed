package ddpo4j.rl;

import ddpo4j.Ddpo4jException;
import ddpo4j.eval.EvalOptions;
import ddpo4j.eval.EvalResult;
import ddpo4j.eval.EvalSample;
import ddpo4j.eval.Evaluator;
import ddpo4j.io.ImageFiles;
import ddpo4j.io.JsonFile;
import ddpo4j.prompts.PromptSample;
import ddpo4j.prompts.PromptSet;
import ddpo4j.prompts.PromptSets;
import ddpo4j.rewards.Reward;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainer's fixed-seed evaluation on {@code eval.sets}: metrics {@code eval.<set>.*} for the
 * epoch line, the first {@code eval.grid} images of the first set with their {@code eval.json}, and
 * every sample's reward per set in {@code eval_rewards.json} (same prompts and noise at every
 * evaluation, so two evaluations of a run compare sample by sample: {@code ddpo4j replay} does).
 */
final class EpochEvaluator {
    private final TrainConfig cfg;
    private final Policy policy;
    private final Reward reward;
    /** An eval set and how it is sampled ({@code name=N} in eval.sets, else eval.samples_per_prompt). */
    private record EvalSet(PromptSet prompts, EvalOptions options) {}

    private final List<EvalSet> sets = new ArrayList<>();

    EpochEvaluator(TrainConfig cfg, Policy policy, Reward reward) {
        this.cfg = cfg;
        this.policy = policy;
        this.reward = reward;
        long seed = cfg.getLong("seed");
        for (TrainConfig.EvalSetSpec spec : cfg.evalSets()) {
            sets.add(new EvalSet(PromptSets.resolve(spec.name()), new EvalOptions(spec.samplesPerPrompt(),
                    seed + 1_000_003L, cfg.getInt("sample.batch_size"))));
        }
    }

    boolean enabled() {
        return !sets.isEmpty();
    }

    /**
     * Fixed-seed evaluation of the current policy on every eval set (same prompts and noise every
     * time, so curves compare like with like); saves the first eval.grid images of the first set.
     */
    public Map<String, Object> evaluate(Path imageDir) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (sets.isEmpty()) {
            return out;
        }
        List<Map<String, Object>> grid = new ArrayList<>();
        List<Integer> gridIndices = new ArrayList<>(); // the sample behind each grid entry
        Map<String, double[]> perSample = new LinkedHashMap<>();
        int gridSize = cfg.getInt("eval.grid");
        for (int k = 0; k < sets.size(); k++) {
            PromptSet set = sets.get(k).prompts();
            boolean first = k == 0;
            EvalResult r = Evaluator.evaluate(policy, set, reward, sets.get(k).options(),
                    new Evaluator.Listener() {
                        @Override
                        public void image(int index, PromptSample prompt, float[] chw, int height, int width) {
                            if (first && index < gridSize) {
                                String name = String.format("eval_%02d.png", index);
                                try {
                                    Files.createDirectories(imageDir);
                                } catch (IOException e) {
                                    throw new Ddpo4jException("cannot create " + imageDir, e);
                                }
                                ImageFiles.writePng(chw, 0, height, width, imageDir.resolve(name));
                                Map<String, Object> g = new LinkedHashMap<>();
                                g.put("file", name);
                                g.put("prompt", prompt.prompt());
                                g.put("set", set.name());
                                grid.add(g);
                                gridIndices.add(index);
                            }
                        }
                    });
            out.putAll(r.epochMetrics());
            perSample.put(set.name(), r.rewards());
            if (first) {
                for (int j = 0; j < grid.size(); j++) {
                    Map<String, Object> g = grid.get(j);
                    EvalSample sample = r.samples().get(gridIndices.get(j));
                    g.put("reward", sample.reward());
                    g.put("seed", sample.noiseSeed());
                    if (sample.info() != null && !sample.info().isEmpty()) {
                        g.put("info", sample.info()); // what the reward saw: the report shows it
                    }
                }
            }
        }
        if (!grid.isEmpty()) {
            JsonFile.write(imageDir.resolve("eval.json"), grid);
        }
        JsonFile.write(imageDir.resolve(RunDir.EVAL_REWARDS), perSample);
        return out;
    }
}
