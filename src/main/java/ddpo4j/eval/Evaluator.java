package ddpo4j.eval;

import ai.djl.ndarray.NDManager;
import ddpo4j.pipeline.SeededNoise;
import ddpo4j.pipeline.Trajectory;
import ddpo4j.pipeline.TrajectorySampler;
import ddpo4j.prompts.PromptSample;
import ddpo4j.prompts.PromptSet;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.ScoredBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Evaluates a model on a prompt set: samples every prompt {@code samplesPerPrompt} times with
 * fixed per-sample noise (sample {@code i = p × samplesPerPrompt + k} seeded by
 * {@code SeededNoise.sampleSeed(seed, i)}), scores the images with a reward while sampling goes on,
 * and returns the rewards. The same seed gives the same noise to a base model and its fine-tuned
 * version, so their difference is measured on paired samples. The sampler is used as it is: a
 * LoRA installed in a pipeline's UNet (enabled or not) is part of the model evaluated.
 */
public final class Evaluator {
    /** Progress and images as they are made; both optional. */
    public interface Listener {
        /** {@code done} of {@code total} denoising steps (over all batches) are finished. */
        default void progress(int done, int total) {}

        /** An image (float CHW in [0, 1]) and its prompt, before it is scored. */
        default void image(int index, PromptSample prompt, float[] chw, int height, int width) {}
    }

    private Evaluator() {}

    public static EvalResult evaluate(TrajectorySampler sampler, PromptSet set, Reward reward, EvalOptions options,
            Listener listener) {
        Listener l = listener == null ? new Listener() {} : listener;
        int spp = options.samplesPerPrompt();
        int n = set.size() * spp;
        int b = options.batchSize();
        int steps = sampler.steps();
        int batches = (n + b - 1) / b;
        List<CompletableFuture<ScoredBatch>> pending = new ArrayList<>();
        try (NDManager root = NDManager.newBaseManager()) {
            for (int start = 0; start < n; start += b) {
                int end = Math.min(n, start + b);
                long[] indices = new long[end - start];
                List<PromptSample> prompts = new ArrayList<>();
                for (int i = start; i < end; i++) {
                    indices[i - start] = i;
                    prompts.add(set.get(i / spp));
                }
                int done = start / b * steps;
                try (NDManager m = root.newSubManager()) {
                    Trajectory t = sampler.sample(prompts.stream().map(PromptSample::prompt).toList(),
                            new SeededNoise(options.seed(), indices), m, s -> l.progress(done + s, batches * steps));
                    long[] shape = t.images().getShape().getShape(); // (B, 3, H, W)
                    int h = (int) shape[2];
                    int w = (int) shape[3];
                    float[] pixels = t.images().toFloatArray();
                    int per = 3 * h * w;
                    List<float[]> images = new ArrayList<>();
                    for (int r = 0; r < prompts.size(); r++) {
                        float[] chw = Arrays.copyOfRange(pixels, r * per, (r + 1) * per);
                        images.add(chw);
                        l.image(start + r, prompts.get(r), chw, h, w);
                    }
                    RewardBatch batch = new RewardBatch(images, h, w, prompts.stream().map(PromptSample::prompt).toList(),
                            prompts.stream().map(PromptSample::metadata).toList());
                    pending.add(reward.scoreSamples(batch));
                }
            }
        }
        List<EvalSample> samples = new ArrayList<>();
        for (int bi = 0; bi < pending.size(); bi++) {
            ScoredBatch s = pending.get(bi).join();
            for (int r = 0; r < s.size(); r++) {
                int i = bi * b + r;
                if (!s.ok(r)) {
                    RewardException e = s.error(r);
                    throw new RewardException("evaluation of " + set.name() + ": sample " + i + " (\"" + set.get(i / spp).prompt()
                            + "\") could not be scored: " + e.getMessage(), e);
                }
                samples.add(new EvalSample(i, i / spp, i % spp, set.get(i / spp).prompt(),
                        SeededNoise.sampleSeed(options.seed(), i), s.score(r), s.info(r)));
            }
        }
        return new EvalResult(set.name(), samples);
    }
}
