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
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.ScoredBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * An epoch's sampling phase: draws the epoch's prompts (each {@code group_size} times), samples
 * this rank's batches (batch i on rank i mod ranks) with the current policy, hands each finished
 * batch to the reward (and the monitor) at once so scoring overlaps sampling, and once all are
 * sampled waits for their scores. Sample {@code i} of epoch {@code e} always gets the same noise
 * ({@link SeededNoise}) and the same prompt, whatever the batch size or the number of ranks; with
 * {@code sample.shared_initial_noise} a group's samples start from its first one's initial latents.
 */
final class EpochSampler {
    private final Policy policy;
    private final Reward reward;
    private final Reward monitor; // null: none
    private final PromptSource prompts;
    private final TrainSettings.Sampling s;
    private final long seed;
    private final Collective ranks;
    private final TrainingListener listener;
    private final NDManager root;
    private float[] emptyStates; // (L * D): encoded once per run

    EpochSampler(Policy policy, Reward reward, Reward monitor, PromptSource prompts, TrainSettings.Sampling s, long seed,
            Collective ranks, TrainingListener listener, NDManager root) {
        this.policy = policy;
        this.reward = reward;
        this.monitor = monitor;
        this.prompts = prompts;
        this.s = s;
        this.seed = seed;
        this.ranks = ranks;
        this.listener = listener;
        this.root = root;
    }

    /**
     * Samples this rank's batches of epoch {@code epoch}, describing {@code buffer} (shapes,
     * timesteps, empty-prompt states) from the first; returns them scored, in batch order.
     */
    List<SampledBatch> sample(int epoch, TrajectoryBuffer buffer) {
        int b = s.batchSize();
        int steps = policy.steps();
        List<PromptSample> drawn = drawPrompts(epoch);
        List<Pending> pending = new ArrayList<>();
        int mine = s.batchesPerEpoch() / ranks.size();
        for (int i = ranks.rank(); i < s.batchesPerEpoch(); i += ranks.size()) {
            List<PromptSample> batch = drawn.subList(i * b, (i + 1) * b);
            List<String> texts = batch.stream().map(PromptSample::prompt).toList();
            long[] indices = new long[b];
            long[] initial = new long[b];
            for (int r = 0; r < b; r++) {
                indices[r] = ((long) epoch * s.batchesPerEpoch() + i) * b + r;
                initial[r] = s.initialIndex(indices[r]);
            }
            int done = pending.size() * steps;
            try (NDManager m = root.newSubManager()) {
                Trajectory t = policy.sample(texts, new SeededNoise(seed, indices, initial), m,
                        step -> listener.samplingProgress(epoch, done + step, mine * steps));
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
                int h = (int) is[2];
                int w = (int) is[3];
                List<SampleRecord> records = new ArrayList<>();
                List<float[]> images = new ArrayList<>();
                List<SampledBatch.SavedImage> saved = new ArrayList<>();
                for (int r = 0; r < b; r++) {
                    records.add(new SampleRecord(indices[r], texts.get(r), batch.get(r).metadata(),
                            slice(latents, r, b), slice(logProbs, r, b), slice(embeds, r, b)));
                    images.add(slice(pixels, r, b));
                    if (i * b + r < s.saveImages()) {
                        saved.add(new SampledBatch.SavedImage(i * b + r, images.get(r), h, w));
                    }
                }
                RewardBatch rb = new RewardBatch(images, h, w, texts, batch.stream().map(PromptSample::metadata).toList());
                ImageStatistics stats = new ImageStatistics();
                stats.add(images, h, w);
                // per sample: a NaN score fails only its own sample
                pending.add(new Pending(i, records, reward.scoreSamples(rb),
                        monitor == null ? null : monitor.scoreSamples(rb), stats, saved));
            }
        }
        List<SampledBatch> out = new ArrayList<>();
        for (Pending p : pending) {
            out.add(new SampledBatch(p.batch, p.records, await(p.scores, reward.name(), b),
                    p.monitor == null ? null : await(p.monitor, monitor.name(), b), p.stats, p.saved));
        }
        return out;
    }

    private record Pending(int batch, List<SampleRecord> records, CompletableFuture<ScoredBatch> scores,
            CompletableFuture<ScoredBatch> monitor, ImageStatistics stats, List<SampledBatch.SavedImage> saved) {}

    private static ScoredBatch await(CompletableFuture<ScoredBatch> future, String rewardName, int batchSize) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Ddpo4jException("interrupted while waiting for rewards", e);
        } catch (ExecutionException e) {
            // scoreSamples completes normally by contract; a wrapper that fails anyway fails every sample
            return ScoredBatch.failed(batchSize, RewardException.of(rewardName, e));
        }
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

    /** Writes the batches' saved images as {@code samples/epoch_NNNN/KK.png}. */
    static void saveImages(RunDir run, int epoch, List<SampledBatch> batches) {
        Path dir = run.samplesDir(epoch);
        for (SampledBatch b : batches) {
            for (SampledBatch.SavedImage img : b.saved()) {
                try {
                    Files.createDirectories(dir);
                } catch (IOException e) {
                    throw new Ddpo4jException("cannot create " + dir + ": " + e.getMessage(), e);
                }
                ImageFiles.writePng(img.chw(), 0, img.height(), img.width(), dir.resolve(String.format("%02d.png",
                        img.k())));
            }
        }
    }
}
