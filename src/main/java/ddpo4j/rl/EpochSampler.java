package ddpo4j.rl;

import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.eval.ImageStatistics;
import ddpo4j.io.ImageFiles;
import ddpo4j.pipeline.SeededNoise;
import ddpo4j.pipeline.Trajectory;
import ddpo4j.prompts.PromptSample;
import ddpo4j.prompts.PromptSource;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.ScoredBatch;
import ddpo4j.tensor.NativeHeap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * An epoch's sampling phase: draws the epoch's prompts (each {@code group_size} times), samples
 * them batch by batch with the current policy into a {@link TrajectoryBuffer}, saves the first
 * {@code save_images} images, and hands each finished batch to the reward at once, so scoring
 * overlaps sampling (and to the monitor reward, if any). Sample {@code i} of epoch {@code e}
 * always gets the same noise ({@link SeededNoise}), whatever the batch size.
 */
final class EpochSampler {
    /**
     * What sampling an epoch left to wait for: one pending score per batch from the training reward
     * and (or empty) from the monitor, each batch's sample indices, and the images' statistics.
     */
    record Sampled(List<CompletableFuture<ScoredBatch>> scores, List<CompletableFuture<ScoredBatch>> monitor,
            List<long[]> indices, Map<String, Object> imageStatistics) {}

    private final Policy policy;
    private final Reward reward;
    private final Reward monitor; // null: none
    private final PromptSource prompts;
    private final TrainSettings.Sampling s;
    private final long seed;
    private final RunDir run;
    private final TrainingListener listener;
    private final NDManager root;
    private float[] emptyStates; // (L * D): encoded once per run

    EpochSampler(Policy policy, Reward reward, Reward monitor, PromptSource prompts, TrainSettings.Sampling s, long seed,
            RunDir run, TrainingListener listener, NDManager root) {
        this.policy = policy;
        this.reward = reward;
        this.monitor = monitor;
        this.prompts = prompts;
        this.s = s;
        this.seed = seed;
        this.run = run;
        this.listener = listener;
        this.root = root;
    }

    /** Samples epoch {@code epoch} into {@code buffer}; returns the pending scores, in batch order. */
    Sampled sample(int epoch, TrajectoryBuffer buffer) {
        int b = s.batchSize();
        int steps = policy.steps();
        List<PromptSample> drawn = drawPrompts(epoch);
        List<CompletableFuture<ScoredBatch>> pending = new ArrayList<>();
        List<CompletableFuture<ScoredBatch>> monitored = new ArrayList<>();
        List<long[]> batchIndices = new ArrayList<>();
        ImageStatistics stats = new ImageStatistics();
        for (int i = 0; i < s.batchesPerEpoch(); i++) {
            List<PromptSample> batch = drawn.subList(i * b, (i + 1) * b);
            List<String> texts = batch.stream().map(PromptSample::prompt).toList();
            long[] indices = new long[b];
            for (int r = 0; r < b; r++) {
                indices[r] = ((long) epoch * s.batchesPerEpoch() + i) * b + r;
            }
            batchIndices.add(indices);
            int done = i * steps;
            try (NDManager m = root.newSubManager()) {
                Trajectory t = policy.sample(texts, new SeededNoise(seed, indices), m,
                        step -> listener.samplingProgress(epoch, done + step, s.batchesPerEpoch() * steps));
                if (!buffer.described()) {
                    long[] lat = t.latents().getShape().getShape(); // (B, T+1, C, h, w)
                    long[] emb = t.promptEmbeds().getShape().getShape(); // (B, L, D)
                    buffer.describe(new TrajectoryBuffer.Shapes((int) lat[1] - 1, lat[2], lat[3], lat[4], emb[1],
                            emb[2]), t.timesteps(), emptyStates(m));
                }
                float[] latents = t.latents().toFloatArray();
                float[] logProbs = t.logProbs().toFloatArray();
                float[] embeds = t.promptEmbeds().toFloatArray();
                float[] pixels = t.images().toFloatArray();
                long[] is = t.images().getShape().getShape(); // (B, C, H, W)
                List<float[]> images = new ArrayList<>();
                for (int r = 0; r < b; r++) {
                    buffer.add(new SampleRecord(indices[r], texts.get(r), batch.get(r).metadata(),
                            slice(latents, r, b), slice(logProbs, r, b), slice(embeds, r, b)));
                    images.add(slice(pixels, r, b));
                    if (i * b + r < s.saveImages()) {
                        saveImage(epoch, i * b + r, images.get(r), (int) is[2], (int) is[3]);
                    }
                }
                RewardBatch rb = new RewardBatch(images, (int) is[2], (int) is[3], texts,
                        batch.stream().map(PromptSample::metadata).toList());
                pending.add(reward.scoreSamples(rb)); // per sample: a NaN score fails only its own sample
                if (monitor != null) {
                    monitored.add(monitor.scoreSamples(rb));
                }
                stats.add(images, (int) is[2], (int) is[3]);
                NativeHeap.trim();
            }
        }
        return new Sampled(pending, monitored, batchIndices, stats.toMetrics());
    }

    /** The epoch's prompts from its own seeded stream: K copies of each, for group advantages. */
    private List<PromptSample> drawPrompts(int epoch) {
        SplittableRandom promptRandom = Seeds.stream(seed, epoch, Seeds.PROMPTS, 0);
        List<PromptSample> drawn = new ArrayList<>();
        for (int i = 0; i < s.perEpoch() / s.groupSize(); i++) {
            PromptSample p = prompts.draw(promptRandom);
            for (int k = 0; k < s.groupSize(); k++) {
                drawn.add(p);
            }
        }
        return drawn;
    }

    private float[] emptyStates(NDManager m) {
        if (emptyStates == null) {
            emptyStates = policy.emptyPromptStates(m).toFloatArray();
        }
        return emptyStates;
    }

    /** Row {@code r} of {@code rows} equal rows packed in {@code all}. */
    private static float[] slice(float[] all, int r, int rows) {
        int per = all.length / rows;
        return Arrays.copyOfRange(all, r * per, (r + 1) * per);
    }

    private void saveImage(int epoch, int k, float[] chw, int h, int w) {
        Path dir = run.samplesDir(epoch);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new Ddpo4jException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        ImageFiles.writePng(chw, 0, h, w, dir.resolve(String.format("%02d.png", k)));
    }
}
