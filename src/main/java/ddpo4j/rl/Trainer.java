package ddpo4j.rl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.ImageFiles;
import ddpo4j.io.JsonFile;
import ddpo4j.io.LoraFiles;
import ddpo4j.nn.Parameter;
import ddpo4j.pipeline.SeededNoise;
import ddpo4j.pipeline.Trajectory;
import ddpo4j.prompts.PromptSample;
import ddpo4j.prompts.PromptSource;
import ddpo4j.rewards.MeteredReward;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.ScoredBatch;
import ddpo4j.schedulers.DDIMStep;
import ddpo4j.tensor.NativeHeap;
import ddpo4j.tensor.Scalars;
import ddpo4j.tensor.Scopes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The DDPO loop (Black et al. 2023, Algorithm 1, as ddpo-pytorch's train.py runs it): each epoch
 * samples trajectories with the current policy while the reward scores finished batches, turns
 * rewards into advantages, then takes clipped importance-sampling (or score-function) gradient
 * steps over shuffled samples and timesteps. Checkpoints make a stopped run resumable exactly.
 * Build one with {@link TrainingSetup}; the parts it uses sit beside it: {@link TrajectoryBuffer},
 * {@link RewardCollector}, {@link EpochStats}, {@link EpochMetrics}, {@link OptimizerStep}.
 */
public final class Trainer implements AutoCloseable {
    private final TrainConfig cfg;
    private final TrainSettings settings;
    private final DiffusionPolicy policy;
    private final MeteredReward reward;
    private final PromptSource prompts;
    private final RunDir run;
    private final TrainingListener listener;
    private final NDManager root = NDManager.newBaseManager();
    private final Map<String, Parameter> trainable;
    private final AdamW adam;
    private final OptimizerStep optimizer;
    private final AdvantageEstimator advantages;
    private final EpochEvaluator evaluator;
    private final NonFiniteGuard nonFinite;
    private final RewardCollector rewards;
    private final AnomalyDetector anomalies; // null unless train.detect_anomaly
    private float[] negativeEmbeds; // (L * D), the empty prompt's states: encoded once per run
    private final List<AutoCloseable> owned = new ArrayList<>(); // closed with the trainer, last first

    public Trainer(TrainConfig cfg, DiffusionPolicy policy, Reward reward, PromptSource prompts, RunDir run,
            TrainingListener listener) {
        this.cfg = cfg;
        this.settings = TrainSettings.of(cfg);
        this.policy = policy;
        this.reward = new MeteredReward(reward);
        this.prompts = prompts;
        this.run = run;
        this.listener = listener;
        this.trainable = policy.trainableParameters();
        List<NDArray> weights = trainable.values().stream().map(Parameter::value).toList();
        weights.forEach(w -> w.setRequiresGradient(true));
        this.adam = new AdamW(weights, settings.optimization().adam(), root);
        this.optimizer = new OptimizerStep(root, weights, adam, settings.optimization().maxGradNorm());
        this.advantages = settings.newAdvantageEstimator();
        this.evaluator = new EpochEvaluator(cfg, policy, this.reward);
        this.nonFinite = new NonFiniteGuard(settings.safety().maxNonFiniteInARow());
        this.rewards = new RewardCollector(reward.name(), settings.rewardFailure(), nonFinite, listener,
                new RewardCollector.Stops() {
                    @Override
                    public RuntimeException rewardFailed(int epoch, RewardException cause) {
                        return rewardFailureStop(epoch, cause);
                    }

                    @Override
                    public RuntimeException nonFiniteInARow(String what, String last) {
                        return nonFiniteStop(what, last);
                    }
                });
        Map<String, NDArray> byName = new LinkedHashMap<>();
        trainable.forEach((name, p) -> byName.put(name, p.value()));
        this.anomalies = settings.safety().detectAnomaly() ? new AnomalyDetector(byName) : null;
    }

    /**
     * Restores the newest checkpoint of the run dir; returns the first epoch still to run (0 if none).
     * Whatever a killed run wrote after that checkpoint is dropped or redone: metrics lines of later
     * epochs, temp files of interrupted writes; the LoRA is rewritten from the checkpoint, since a
     * run killed between the two writes would otherwise keep an older LoRA.
     */
    public int resume() {
        run.cleanUpAfterCrash(settings.checkpointLimit());
        Path latest = Checkpoints.latest(run.checkpoints());
        if (latest == null) {
            run.truncateMetrics(-1); // killed before its first checkpoint: start over, without duplicate lines
            listener.message("no checkpoint in " + run.checkpoints() + ": starting from epoch 0");
            return 0;
        }
        Checkpoints.State state = Checkpoints.load(latest, trainable, adam, root);
        if (advantages instanceof PerPromptStatTracker tracker) {
            tracker.restore(state.trackerBuffers());
        }
        nonFinite.restoreRewardStreak(state.nonFiniteRewardStreak());
        run.truncateMetrics(state.epoch());
        if (policy.lora() != null) {
            LoraFiles.save(run.loraDir(), policy.lora(), checkpointMetadata(state.epoch()));
        }
        listener.message("resumed from " + latest + " (epoch " + state.epoch() + " done)");
        return state.epoch() + 1;
    }

    /** Runs epochs {@code first} .. num_epochs-1, then evaluates the final policy (when eval.sets is set). */
    public void train(int first) {
        int epochs = settings.numEpochs();
        for (int epoch = first; epoch < epochs; epoch++) {
            // the policy entering the epoch: epoch 0 is the base model, the final one is evaluated after the loop
            Map<String, Object> evals = epoch % settings.evalFreq() == 0
                    ? evaluator.evaluate(run.samplesDir(epoch)) : Map.of();
            Map<String, Object> metrics = runEpoch(epoch);
            metrics.putAll(evals);
            run.appendMetrics(metrics);
            listener.epochEnd(metrics);
            if (settings.checkpointDue(epoch)) {
                // even the final one: a run ending inside a streak of skipped steps may have diverged weights
                if (nonFinite.checkpointAllowed()) {
                    saveCheckpoint(epoch);
                } else {
                    listener.warning("epoch " + epoch + ": checkpoint held back (" + nonFinite.holdBackReason()
                            + "), so the newest checkpoint stays " + Checkpoints.latest(run.checkpoints()));
                }
            }
        }
        // also after a resume from the final checkpoint of a run killed before it wrote eval_final.json
        Path finalEval = run.root().resolve("eval_final.json");
        if (evaluator.enabled() && (first < epochs || !Files.exists(finalEval))) {
            Map<String, Object> last = evaluator.evaluate(run.root().resolve("samples").resolve("final"));
            JsonFile.write(finalEval, last);
            listener.finalEvaluation(last);
        }
    }

    private Map<String, Object> runEpoch(int epoch) {
        nonFinite.epochStart();
        // 1. Sample trajectories; each batch goes to the reward as soon as it is done.
        long t0 = System.nanoTime();
        TrajectoryBuffer buffer = new TrajectoryBuffer();
        List<CompletableFuture<ScoredBatch>> pending = sample(epoch, buffer);
        long t1 = System.nanoTime();
        // 2. Wait for the rewards; only scored samples stay in the buffer.
        double[] scores = rewards.collect(epoch, buffer, pending, settings.sampling().batchSize());
        long t2 = System.nanoTime();
        // 3. Advantages, clipped as train.py clips them inside the loss.
        List<String> promptList = buffer.samples().stream().map(SampleRecord::prompt).toList();
        double[] adv = buffer.size() == 0 ? new double[0] : advantages.advantages(promptList, scores);
        double clip = settings.advantages().clipMax();
        for (int i = 0; i < adv.length; i++) {
            adv[i] = Math.max(-clip, Math.min(clip, adv[i]));
        }
        // 4. Policy-gradient steps (none when every sample's reward was non-finite).
        Map<String, Double> train = buffer.size() == 0 ? EpochStats.nothingTrained() : trainEpoch(epoch, buffer, adv);
        NativeHeap.trim(); // hand the epoch's freed activations back: flat RSS over long runs
        long t3 = System.nanoTime();
        return EpochMetrics.of(epoch, promptList, scores, adv, train, nonFinite.epochMetrics(),
                new EpochMetrics.Timings(t0, t1, t2, t3), reward.statsAndReset().toMetrics(),
                settings.optimization().adam().lr());
    }

    /** Samples the epoch's trajectories into {@code buffer}; returns one pending score per batch. */
    private List<CompletableFuture<ScoredBatch>> sample(int epoch, TrajectoryBuffer buffer) {
        TrainSettings.Sampling s = settings.sampling();
        int b = s.batchSize();
        int steps = policy.sampling().steps();
        SplittableRandom promptRandom = Seeds.stream(settings.seed(), epoch, Seeds.PROMPTS, 0);
        List<PromptSample> drawn = new ArrayList<>();
        for (int i = 0; i < s.perEpoch() / s.groupSize(); i++) {
            PromptSample p = prompts.draw(promptRandom);
            for (int k = 0; k < s.groupSize(); k++) { // K copies of each prompt, for group advantages
                drawn.add(p);
            }
        }
        List<CompletableFuture<ScoredBatch>> pending = new ArrayList<>();
        for (int i = 0; i < s.batchesPerEpoch(); i++) {
            List<PromptSample> batch = drawn.subList(i * b, (i + 1) * b);
            List<String> texts = batch.stream().map(PromptSample::prompt).toList();
            long[] indices = new long[b];
            for (int r = 0; r < b; r++) {
                indices[r] = ((long) epoch * s.batchesPerEpoch() + i) * b + r;
            }
            int done = i * steps;
            try (NDManager m = root.newSubManager()) {
                Trajectory t = policy.sample(texts, new SeededNoise(settings.seed(), indices), m,
                        step -> listener.samplingProgress(epoch, done + step, s.batchesPerEpoch() * steps));
                if (!buffer.described()) {
                    long[] lat = t.latents().getShape().getShape(); // (B, T+1, C, h, w)
                    long[] emb = t.promptEmbeds().getShape().getShape(); // (B, L, D)
                    buffer.describe(new TrajectoryBuffer.Shapes((int) lat[1] - 1, lat[2], lat[3], lat[4], emb[1],
                            emb[2]), t.timesteps(), negativeEmbeds(m));
                }
                float[] latents = t.latents().toFloatArray();
                float[] logProbs = t.logProbs().toFloatArray();
                float[] embeds = t.promptEmbeds().toFloatArray();
                float[] pixels = t.images().toFloatArray();
                long[] is = t.images().getShape().getShape(); // (B, 3, H, W)
                int perImg = pixels.length / b;
                List<float[]> images = new ArrayList<>();
                for (int r = 0; r < b; r++) {
                    buffer.add(new SampleRecord(indices[r], texts.get(r), batch.get(r).metadata(),
                            slice(latents, r, b), slice(logProbs, r, b), slice(embeds, r, b)));
                    images.add(slice(pixels, r, b));
                    if (i * b + r < s.saveImages()) {
                        saveImage(epoch, i * b + r, pixels, r * perImg, (int) is[2], (int) is[3]);
                    }
                }
                RewardBatch rb = new RewardBatch(images, (int) is[2], (int) is[3], texts,
                        batch.stream().map(PromptSample::metadata).toList());
                pending.add(reward.scoreSamples(rb)); // per sample: a NaN score fails only its own sample
                NativeHeap.trim();
            }
        }
        return pending;
    }

    private float[] negativeEmbeds(NDManager m) {
        if (negativeEmbeds == null) {
            negativeEmbeds = policy.pipeline().encodePrompts(List.of(""), m).toFloatArray();
        }
        return negativeEmbeds;
    }

    /** Row {@code r} of {@code rows} equal rows packed in {@code all}. */
    private static float[] slice(float[] all, int r, int rows) {
        int per = all.length / rows;
        return Arrays.copyOfRange(all, r * per, (r + 1) * per);
    }

    private void saveImage(int epoch, int k, float[] pixels, int offset, int h, int w) {
        Path dir = run.samplesDir(epoch);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new Ddpo4jException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        ImageFiles.writePng(pixels, offset, h, w, dir.resolve(String.format("%02d.png", k)));
    }

    private Map<String, Double> trainEpoch(int epoch, TrajectoryBuffer buffer, double[] adv) {
        TrainSettings.Optimization o = settings.optimization();
        int n = buffer.size();
        int bs = Math.min(o.batchSize(), n);
        int steps = buffer.steps();
        int trainSteps = Math.max(1, (int) (steps * o.timestepFraction()));
        boolean sf = o.algorithm() == TrainSettings.Algorithm.SF;
        int minibatches = n / bs;
        int accum = sf ? minibatches : o.accumulationSteps();
        int inner = sf ? 1 : o.innerEpochs();

        EpochStats stats = new EpochStats();
        int stepInEpoch = 0;
        int[] probeRows = null; // the epoch's first minibatch and timesteps, to probe the updated weights
        int[] probeSteps = null;
        double ratioAtStart = Double.NaN;
        int done = 0;
        int total = inner * minibatches * trainSteps;
        for (int k = 0; k < inner; k++) {
            SplittableRandom r = Seeds.stream(settings.seed(), epoch, Seeds.SHUFFLE, k);
            int[] order = Seeds.permutation(n, r);
            int[][] perms = new int[n][];
            for (int i = 0; i < n; i++) {
                perms[i] = Seeds.permutation(steps, r);
            }
            GradientCollector gc = null;
            try {
                for (int mb = 0; mb < minibatches; mb++) {
                    if (gc == null) {
                        gc = Engine.getInstance().newGradientCollector();
                    }
                    double ratioSum = 0;
                    for (int j = 0; j < trainSteps; j++) {
                        try (NDManager s = Scopes.step(root, policy.forwardParameters())) {
                            int[] rows = new int[bs];
                            int[] rowSteps = new int[bs];
                            for (int row = 0; row < bs; row++) {
                                rows[row] = order[mb * bs + row];
                                rowSteps[row] = perms[rows[row]][j];
                            }
                            MinibatchLoss ml = minibatchLoss(buffer.minibatch(s, rows, rowSteps, adv));
                            NDArray scaled = Scalars.div(ml.loss(), accum * trainSteps); // not loss.div(int): see Scalars
                            gc.backward(scaled);
                            if (anomalies != null) {
                                anomalies.check(ml.loss(), ml.terms(),
                                        new AnomalyDetector.Where(epoch, stepInEpoch, j, rows, rowSteps));
                            }
                            stats.term(ml.loss().getFloat(), ml.terms().approxKl(), ml.terms().clipFrac());
                            ratioSum += ml.terms().ratio().stopGradient().mean().getFloat();
                            if (probeRows == null) {
                                probeRows = rows;
                                probeSteps = rowSteps;
                            }
                        }
                        listener.trainingProgress(epoch, ++done, total);
                    }
                    if (k == 0 && mb == 0) {
                        ratioAtStart = ratioSum / trainSteps;
                        selfTest(epoch, ratioAtStart);
                    }
                    // the last minibatch always closes its window: after dropped samples the count may not be a
                    // multiple of accum, and gradients left over would leak into the next epoch's first step
                    if ((mb + 1) % accum == 0 || mb == minibatches - 1) {
                        gc.close();
                        gc = null;
                        optimizerStep(epoch, stepInEpoch++, stats);
                    }
                }
            } finally {
                if (gc != null) {
                    gc.close();
                }
            }
        }
        if (settings.checkpointDue(epoch) && stats.stepsTaken() > 0) {
            probeUpdatedWeights(epoch, buffer, adv, probeRows, probeSteps);
        }
        return stats.toMetrics(ratioAtStart);
    }

    /**
     * 5. On-policy self-test: nothing has been updated since sampling, so every importance ratio of
     * the epoch's first minibatch is 1. A non-finite ratio is a non-finite loss: the NaN policy skips
     * that step, with no verdict here.
     */
    private void selfTest(int epoch, double ratioAtStart) {
        double tol = settings.safety().ratioTolerance();
        if (Double.isFinite(ratioAtStart) && !(Math.abs(ratioAtStart - 1) <= tol)) {
            throw new Ddpo4jException(String.format("on-policy self-test failed at epoch %d: the recomputed"
                    + " log-probs differ from the sampled ones (mean ratio %.6f, tolerance %.0e). Sampling and"
                    + " training disagree: check train.cfg (must match sampling guidance) and that the model is"
                    + " deterministic.", epoch, ratioAtStart, tol));
        }
    }

    /**
     * Before a checkpoint: the loss of the epoch's first minibatch recomputed with the updated
     * weights (one forward pass, no gradient). An update can blow the weights up to huge but finite
     * values, which only later losses show as NaN; when that update is the epoch's last, the
     * checkpoint would hold it and --resume would go back to it. A non-finite loss here holds
     * checkpoints back until a step is taken again.
     */
    private void probeUpdatedWeights(int epoch, TrajectoryBuffer buffer, double[] adv, int[] rows, int[] steps) {
        try (NDManager s = Scopes.step(root, policy.forwardParameters())) {
            float loss = minibatchLoss(buffer.minibatch(s, rows, steps, adv)).loss().getFloat();
            if (!Float.isFinite(loss)) {
                nonFinite.updatedWeightsNonFinite();
                listener.warning("epoch " + epoch + ": the updated weights give a non-finite loss (" + loss
                        + ") on the epoch's first minibatch");
            }
        }
    }

    private record MinibatchLoss(NDArray loss, PolicyLoss.Terms terms) {}

    /**
     * The DDPO loss (with the KL penalty when train.kl_beta > 0) of one minibatch under the current
     * weights; differentiable inside a gradient collector.
     */
    private MinibatchLoss minibatchLoss(TrajectoryBuffer.Minibatch mb) {
        TrainSettings.Optimization o = settings.optimization();
        DDIMStep step = policy.stepLogProb(mb.latents(), mb.nextLatents(), mb.timesteps(), mb.promptEmbeds(),
                mb.negativeEmbeds());
        PolicyLoss.Terms terms = o.algorithm() == TrainSettings.Algorithm.SF
                ? PolicyLoss.scoreFunction(step.logProb(), mb.oldLogProbs(), mb.advantages())
                : PolicyLoss.importanceSampling(step.logProb(), mb.oldLogProbs(), mb.advantages(), o.clipRange());
        NDArray loss = terms.loss();
        if (o.klBeta() > 0) {
            NDArray ref = policy.referenceMean(mb.latents(), mb.nextLatents(), mb.timesteps(), mb.promptEmbeds(),
                    mb.negativeEmbeds());
            loss = loss.add(PolicyLoss.klPenalty(step.mean(), ref, step.std(), o.klBeta()));
        }
        return new MinibatchLoss(loss, terms);
    }

    /**
     * Ends an accumulation window: clips, steps AdamW and zeroes the gradients, unless the window's
     * loss or the gradient norm is non-finite; then the step is skipped (gradients zeroed, AdamW's
     * moments and step count untouched), reported, and counted toward the stop.
     */
    private void optimizerStep(int epoch, int step, EpochStats stats) {
        String what;
        if (!stats.windowFinite()) {
            optimizer.skip();
            what = "loss " + stats.firstNonFiniteLoss();
        } else {
            double norm = optimizer.apply();
            NativeHeap.trim();
            if (Double.isFinite(norm)) {
                stats.stepTaken(norm);
                nonFinite.stepTaken();
                return;
            }
            what = "grad norm " + norm;
        }
        stats.stepSkipped();
        boolean stop = nonFinite.stepSkipped();
        String where = "epoch " + epoch + ", optimizer step " + step + ": non-finite " + what;
        listener.warning(where + ": step skipped (" + nonFinite.stepStreak() + " in a row, the run stops at "
                + nonFinite.maxInARow() + ")");
        if (stop) {
            throw nonFiniteStop("skipped optimizer steps (non-finite loss or grad norm)", where);
        }
    }

    /**
     * reward_failure=stop: checkpoints the state before this epoch (unless that checkpoint exists, or
     * skipped steps hold checkpoints back) and returns the error that stops the run.
     */
    private Ddpo4jException rewardFailureStop(int epoch, RewardException cause) {
        boolean exists = epoch == 0
                || Checkpoints.list(run.checkpoints()).stream().anyMatch(p -> p.getFileName().toString()
                        .equals(Checkpoints.name(epoch - 1)));
        if (!exists && nonFinite.checkpointAllowed()) {
            saveCheckpoint(epoch - 1, nonFinite.rewardStreakAtEpochStart());
        }
        Path newest = Checkpoints.latest(run.checkpoints());
        return new Ddpo4jException("epoch " + epoch + ": reward failed: " + cause.getMessage() + "; "
                + (newest == null ? "nothing trained yet: start the run again"
                : "continue from " + newest + " with --resume " + run.root()), cause);
    }

    /**
     * The error that ends a run after {@code train.max_nonfinite_in_a_row} events of one kind in a
     * row. No checkpoint was written inside a streak of skipped steps, so the newest one predates it.
     */
    private Ddpo4jException nonFiniteStop(String what, String last) {
        Path newest = Checkpoints.latest(run.checkpoints());
        String resume = newest == null
                ? "No checkpoint was written yet: fix the cause and start the run again."
                : "The newest checkpoint, " + newest + " (finite weights"
                        + (what.startsWith("reward") ? "; non-finite rewards never reach them" : ", from before"
                        + " the skipped steps") + "), is intact: fix the cause (a lower train.learning_rate for"
                        + " diverging weights, the reward for NaN scores) and continue with --resume " + run.root()
                        + " (--set key=value to change settings).";
        return new Ddpo4jException("stopped: " + nonFinite.maxInARow() + " " + what + " in a row"
                + " (train.max_nonfinite_in_a_row=" + nonFinite.maxInARow() + "); last: " + last + ". " + resume);
    }

    /**
     * Writes checkpoint {@code epoch} (skipped for -1: nothing trained yet) and then the current
     * LoRA. Refused (an exception, nothing written) when any weight or AdamW moment is non-finite.
     */
    public void saveCheckpoint(int epoch) {
        saveCheckpoint(epoch, nonFinite.rewardStreak());
    }

    private void saveCheckpoint(int epoch, int rewardStreak) {
        if (epoch < 0) {
            return;
        }
        Map<String, List<Double>> tracker = advantages instanceof PerPromptStatTracker t ? t.state() : Map.of();
        Map<String, String> meta = checkpointMetadata(epoch);
        Checkpoints.save(run.checkpoints(), new Checkpoints.State(epoch, adam.stepCount(), tracker,
                rewardStreak), trainable, adam, meta, settings.checkpointLimit());
        if (policy.lora() != null) {
            LoraFiles.save(run.loraDir(), policy.lora(), meta);
        }
    }

    private Map<String, String> checkpointMetadata(int epoch) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("ddpo4j.epoch", Integer.toString(epoch));
        meta.put("ddpo4j.config", cfg.toYaml());
        return meta;
    }

    /** How many numbers training updates (LoRA or UNet weights). */
    public long trainableParameterCount() {
        return trainable.values().stream().mapToLong(p -> p.shape().size()).sum();
    }

    /** Makes {@code resource} (a model, a reward) close with this trainer, after what was added before it. */
    void closeWhenDone(AutoCloseable resource) {
        owned.add(resource);
    }

    /** Frees the trainer's native memory, then closes what it owns (newest first). */
    @Override
    public void close() {
        root.close();
        RuntimeException failure = null;
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new Ddpo4jException("closing " + owned.get(i) + ": " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        owned.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
