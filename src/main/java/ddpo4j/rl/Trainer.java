package ddpo4j.rl;

import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.NativeHeap;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.ImageFiles;
import ddpo4j.io.LoraFiles;
import ddpo4j.nn.Parameter;
import ddpo4j.pipeline.SeededNoise;
import ddpo4j.pipeline.Trajectory;
import ddpo4j.prompts.PromptSample;
import ddpo4j.prompts.PromptSource;
import ddpo4j.rewards.NonFiniteScoreException;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.ScoredBatch;
import ddpo4j.schedulers.DDIMStep;
import ddpo4j.tensor.Scalars;
import ddpo4j.tensor.Scopes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The DDPO loop (Black et al. 2023, Algorithm 1, as ddpo-pytorch's train.py runs it): each epoch
 * samples trajectories with the current policy while the reward scores finished batches, turns
 * rewards into advantages, then takes clipped importance-sampling (or score-function) gradient
 * steps over shuffled samples and timesteps. Checkpoints make a stopped run resumable exactly.
 */
public final class Trainer {
    private final TrainConfig cfg;
    private final DiffusionPolicy policy;
    private final ddpo4j.rewards.MeteredReward reward;
    private final PromptSource prompts;
    private final RunDir run;
    private final TrainingListener listener;
    private final NDManager root = NDManager.newBaseManager();
    private final Map<String, Parameter> trainable;
    private final List<NDArray> weights;
    private final AdamW adam;
    private final OptimizerStep optimizer;
    private final AdvantageEstimator advantages;
    private final long seed;
    private float[] negativeEmbeds; // (L * D), the empty prompt's states, computed once
    private final EpochEvaluator evaluator;
    private final NonFiniteGuard nonFinite;
    private final AnomalyDetector anomalies; // null unless train.detect_anomaly

    public Trainer(TrainConfig cfg, DiffusionPolicy policy, Reward reward, PromptSource prompts, RunDir run,
            TrainingListener listener) {
        this.cfg = cfg;
        this.policy = policy;
        this.reward = new ddpo4j.rewards.MeteredReward(reward);
        this.prompts = prompts;
        this.run = run;
        this.listener = listener;
        this.seed = cfg.getLong("seed");
        this.trainable = policy.trainableParameters();
        this.weights = trainable.values().stream().map(Parameter::value).toList();
        weights.forEach(w -> w.setRequiresGradient(true));
        this.adam = new AdamW(weights, new AdamW.Options(cfg.getDouble("train.learning_rate"),
                cfg.getDouble("train.adam_beta1"), cfg.getDouble("train.adam_beta2"),
                cfg.getDouble("train.adam_weight_decay"), cfg.getDouble("train.adam_epsilon")), root);
        this.evaluator = new EpochEvaluator(cfg, policy, this.reward);
        this.nonFinite = new NonFiniteGuard(cfg.getInt("train.max_nonfinite_in_a_row"));
        this.anomalies = cfg.getBool("train.detect_anomaly") ? new AnomalyDetector(weightsByName()) : null;
        this.optimizer = new OptimizerStep(root, weights, adam, cfg.getDouble("train.max_grad_norm"));
        this.advantages = switch (cfg.getString("advantage")) {
            case "batch" -> new BatchAdvantages();
            case "group" -> new GroupAdvantages();
            default -> new PerPromptStatTracker(cfg.getInt("per_prompt_stat_tracking.buffer_size"),
                    cfg.getInt("per_prompt_stat_tracking.min_count"));
        };
    }

    private Map<String, NDArray> weightsByName() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        trainable.forEach((name, p) -> out.put(name, p.value()));
        return out;
    }

    /**
     * Restores the newest checkpoint of the run dir; returns the first epoch still to run (0 if none).
     * Whatever a killed run wrote after that checkpoint is dropped or redone: metrics lines of later
     * epochs, temp files of interrupted writes; the LoRA is rewritten from the checkpoint, since a
     * run killed between the two writes would otherwise keep an older LoRA.
     */
    public int resume() {
        run.cleanUpAfterCrash(cfg.getInt("num_checkpoint_limit"));
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
        int epochs = cfg.getInt("num_epochs");
        for (int epoch = first; epoch < epochs; epoch++) {
            // the policy entering the epoch: epoch 0 is the base model, the final one is evaluated after the loop
            Map<String, Object> evals = epoch % cfg.getInt("eval.freq") == 0
                    ? evaluator.evaluate(run.samplesDir(epoch)) : Map.of();
            Map<String, Object> metrics = runEpoch(epoch);
            metrics.putAll(evals);
            run.appendMetrics(metrics);
            ddpo4j.report.HtmlReport.write(run.root());
            listener.epochEnd(metrics);
            if (checkpointDue(epoch)) {
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
        if (evaluator.enabled() && (first < epochs || !java.nio.file.Files.exists(finalEvalFile()))) {
            Map<String, Object> last = evaluator.evaluate(run.root().resolve("samples").resolve("final"));
            ddpo4j.io.JsonFile.write(finalEvalFile(), last);
            ddpo4j.report.HtmlReport.write(run.root()); // the report's curves and grid end with the final policy
            listener.message("final policy: " + last);
        }
    }


    private Path finalEvalFile() {
        return run.root().resolve("eval_final.json");
    }

    private Map<String, Object> runEpoch(int epoch) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        nonFinite.epochStart();
        // 1. Sample trajectories; each batch goes to the reward as soon as it is done.
        long t0 = System.nanoTime();
        List<SampleRecord> samples = new ArrayList<>();
        List<CompletableFuture<ScoredBatch>> pending = new ArrayList<>();
        sample(epoch, samples, pending);
        long t1 = System.nanoTime();
        // 2. Wait for the rewards.
        double[] rewards = collectRewards(epoch, samples, pending);
        long t2 = System.nanoTime();
        // 3. Advantages, clipped as train.py clips them inside the loss.
        List<String> promptList = samples.stream().map(SampleRecord::prompt).toList();
        double[] adv = samples.isEmpty() ? new double[0] : advantages.advantages(promptList, rewards);
        double clip = cfg.getDouble("train.adv_clip_max");
        for (int i = 0; i < adv.length; i++) {
            adv[i] = Math.max(-clip, Math.min(clip, adv[i]));
        }
        // 4. Policy-gradient steps (none when every sample's reward was non-finite).
        Map<String, Double> train = samples.isEmpty() ? EpochStats.nothingTrained() : trainEpoch(epoch, samples, adv);
        NativeHeap.trim(); // hand the epoch's freed activations back: flat RSS over long runs
        long t3 = System.nanoTime();

        m.put("num_samples", samples.size());
        double[] ms = AdvantageEstimator.meanStd(rewards);
        m.put("reward_mean", ms[0]);
        m.put("reward_std", ms[1]);
        m.putAll(train);
        m.putAll(nonFinite.epochMetrics());
        m.put("seconds_sampling", (t1 - t0) / 1e9);
        m.put("seconds_reward_wait", (t2 - t1) / 1e9);
        m.put("seconds_training", (t3 - t2) / 1e9);
        m.put("samples_per_s", samples.size() / ((t3 - t0) / 1e9));
        m.putAll(reward.statsAndReset().toMetrics());
        m.put("peak_rss_mb", ProcessStats.peakRssMb());
        m.put("rss_mb", ProcessStats.rssMb());
        Runtime rt = Runtime.getRuntime();
        m.put("jvm_heap_mb", (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
        m.put("learning_rate", cfg.getDouble("train.learning_rate"));
        double[] am = AdvantageEstimator.meanStd(adv);
        m.put("advantage_mean", am[0]);
        m.put("advantage_std", am[1]);
        m.put("advantage_abs_max", java.util.Arrays.stream(adv).map(Math::abs).max().orElse(0));
        Map<String, double[]> perPrompt = new TreeMap<>();
        for (int i = 0; i < rewards.length; i++) {
            double[] acc = perPrompt.computeIfAbsent(promptList.get(i), k -> new double[2]);
            acc[0] += rewards[i];
            acc[1]++;
        }
        Map<String, Double> means = new TreeMap<>();
        perPrompt.forEach((k, v) -> means.put(k, v[0] / v[1]));
        m.put("reward_mean_per_prompt", means);
        return m;
    }

    private void sample(int epoch, List<SampleRecord> samples, List<CompletableFuture<ScoredBatch>> pending) {
        int batches = cfg.getInt("sample.num_batches_per_epoch");
        int b = cfg.getInt("sample.batch_size");
        int steps = policy.sampling().steps();
        SplittableRandom promptRandom = Seeds.stream(seed, epoch, Seeds.PROMPTS, 0);
        List<PromptSample> drawn = new ArrayList<>();
        int group = cfg.getInt("group_size"); // K copies of each prompt, for group advantages
        for (int i = 0; i < batches * b / group; i++) {
            PromptSample p = prompts.draw(promptRandom);
            for (int k = 0; k < group; k++) {
                drawn.add(p);
            }
        }
        int saveImages = cfg.getInt("save_images");
        for (int i = 0; i < batches; i++) {
            List<PromptSample> batch = drawn.subList(i * b, (i + 1) * b);
            long[] indices = new long[b];
            for (int r = 0; r < b; r++) {
                indices[r] = ((long) epoch * batches + i) * b + r;
            }
            int done = i * steps;
            try (NDManager m = root.newSubManager()) {
                Trajectory t = policy.sample(batch.stream().map(PromptSample::prompt).toList(),
                        new SeededNoise(seed, indices), m, s -> listener.samplingProgress(epoch, done + s, batches * steps));
                if (negativeEmbeds == null) {
                    negativeEmbeds = policy.pipeline().encodePrompts(List.of(""), m).toFloatArray();
                }
                float[] latents = t.latents().toFloatArray();
                float[] logProbs = t.logProbs().toFloatArray();
                float[] embeds = t.promptEmbeds().toFloatArray();
                float[] pixels = t.images().toFloatArray();
                long[] is = t.images().getShape().getShape(); // (B, 3, H, W)
                int perLat = latents.length / b;
                int perLp = logProbs.length / b;
                int perEmb = embeds.length / b;
                int perImg = pixels.length / b;
                List<float[]> images = new ArrayList<>();
                for (int r = 0; r < b; r++) {
                    samples.add(new SampleRecord(indices[r], batch.get(r).prompt(), batch.get(r).metadata(),
                            java.util.Arrays.copyOfRange(latents, r * perLat, (r + 1) * perLat),
                            java.util.Arrays.copyOfRange(logProbs, r * perLp, (r + 1) * perLp),
                            java.util.Arrays.copyOfRange(embeds, r * perEmb, (r + 1) * perEmb)));
                    images.add(java.util.Arrays.copyOfRange(pixels, r * perImg, (r + 1) * perImg));
                    int k = i * b + r;
                    if (k < saveImages) {
                        saveImage(epoch, k, pixels, r * perImg, (int) is[2], (int) is[3]);
                    }
                }
                RewardBatch rb = new RewardBatch(images, (int) is[2], (int) is[3],
                        batch.stream().map(PromptSample::prompt).toList(),
                        batch.stream().map(PromptSample::metadata).toList());
                pending.add(reward.scoreSamples(rb)); // per sample: a NaN score fails only its own sample
                NativeHeap.trim();
                lastShape = new long[] {t.latents().getShape().get(1), is[1], t.latents().getShape().get(2),
                    t.latents().getShape().get(3), t.latents().getShape().get(4),
                    t.promptEmbeds().getShape().get(1), t.promptEmbeds().getShape().get(2)};
                timesteps = t.timesteps();
            }
        }
    }

    private long[] lastShape; // T+1, 3, C, h, w, L, D
    private long[] timesteps;

    private void saveImage(int epoch, int k, float[] pixels, int offset, int h, int w) {
        Path dir = run.samplesDir(epoch);
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new Ddpo4jException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        ImageFiles.writePng(pixels, offset, h, w, dir.resolve(String.format("%02d.png", k)));
    }

    /**
     * Waits for each batch's scores in sampling order and returns the rewards of the samples kept.
     * A non-finite score drops its sample (NaN policy, {@link NonFiniteGuard}); any other failed
     * sample goes to {@code reward_failure}: stop (checkpointing the state before this epoch) or drop.
     */
    private double[] collectRewards(int epoch, List<SampleRecord> samples, List<CompletableFuture<ScoredBatch>> pending) {
        int b = cfg.getInt("sample.batch_size");
        boolean drop = cfg.getString("reward_failure").equals("drop");
        List<SampleRecord> kept = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < pending.size(); i++) {
            ScoredBatch batch = await(pending.get(i));
            List<String> nonFiniteHere = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (int r = 0; r < b; r++) {
                SampleRecord sample = samples.get(i * b + r);
                if (batch.ok(r)) {
                    kept.add(sample);
                    scores.add(batch.score(r));
                } else if (batch.error(r) instanceof NonFiniteScoreException e) {
                    nonFiniteHere.add(e.score() + " for sample " + sample.index() + " (prompt \"" + sample.prompt()
                            + "\")");
                } else if (!drop) {
                    throw rewardFailureStop(epoch, batch.error(r));
                } else {
                    failures.add(sample.index() + ": " + batch.error(r).getMessage());
                }
            }
            if (!failures.isEmpty()) {
                failed += failures.size();
                listener.message("epoch " + epoch + ": dropping " + failures.size() + " sample(s) the reward failed"
                        + " to score; first: " + failures.get(0));
            }
            boolean stop = nonFinite.rewardBatch(nonFiniteHere.size());
            if (!nonFiniteHere.isEmpty()) {
                String where = "epoch " + epoch + ", reward batch " + i + ": non-finite reward "
                        + String.join(", ", nonFiniteHere);
                listener.warning(where + ": sample(s) dropped (" + nonFinite.rewardStreak() + " such batch(es) in a row,"
                        + " the run stops at " + nonFinite.maxInARow() + ")");
                if (stop) {
                    throw nonFiniteStop("reward batches with a non-finite score", where);
                }
            }
        }
        if (kept.isEmpty() && failed > 0 && failed == samples.size()) {
            throw new Ddpo4jException("epoch " + epoch + ": every reward batch failed");
        }
        samples.clear();
        samples.addAll(kept);
        return scores.stream().mapToDouble(Double::doubleValue).toArray();
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

    private ScoredBatch await(CompletableFuture<ScoredBatch> future) {
        int b = cfg.getInt("sample.batch_size");
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Ddpo4jException("interrupted while waiting for rewards", e);
        } catch (ExecutionException e) {
            // scoreSamples completes normally by contract; a wrapper that fails anyway fails every sample
            return ScoredBatch.failed(b, RewardException.of(reward.name(), e));
        }
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

    private Map<String, Double> trainEpoch(int epoch, List<SampleRecord> samples, double[] adv) {
        int n = samples.size();
        int bs = Math.min(cfg.getInt("train.batch_size"), n);
        int steps = timesteps.length;
        int trainSteps = Math.max(1, (int) (steps * cfg.getDouble("train.timestep_fraction")));
        boolean sf = cfg.getString("train.algorithm").equals("sf");
        int minibatches = n / bs;
        int accum = sf ? minibatches : cfg.getInt("train.gradient_accumulation_steps");
        int inner = sf ? 1 : cfg.getInt("train.num_inner_epochs");

        EpochStats stats = new EpochStats();
        int stepInEpoch = 0;
        int[] probeRows = null; // the epoch's first minibatch and timesteps, to probe the updated weights
        int[] probeSteps = null;
        double ratioAtStart = Double.NaN;
        int done = 0;
        int total = inner * minibatches * trainSteps;
        for (int k = 0; k < inner; k++) {
            SplittableRandom r = Seeds.stream(seed, epoch, Seeds.SHUFFLE, k);
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
                            MinibatchLoss ml = minibatchLoss(s, samples, adv, rows, rowSteps);
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
                        // 5. On-policy self-test: nothing has been updated since sampling, so every ratio is 1.
                        ratioAtStart = ratioSum / trainSteps;
                        double tol = cfg.getDouble("ratio_tolerance");
                        // a non-finite ratio is a non-finite loss: the NaN policy skips that step, no self-test verdict
                        if (Double.isFinite(ratioAtStart) && !(Math.abs(ratioAtStart - 1) <= tol)) {
                            throw new Ddpo4jException(String.format("on-policy self-test failed at epoch %d: the"
                                    + " recomputed log-probs differ from the sampled ones (mean ratio %.6f, tolerance"
                                    + " %.0e). Sampling and training disagree: check train.cfg (must match sampling"
                                    + " guidance) and that the model is deterministic.", epoch, ratioAtStart, tol));
                        }
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
        if (checkpointDue(epoch) && stats.stepsTaken() > 0) {
            probeUpdatedWeights(epoch, samples, adv, probeRows, probeSteps);
        }
        return stats.toMetrics(ratioAtStart);
    }

    private boolean checkpointDue(int epoch) {
        return (epoch + 1) % cfg.getInt("save_freq") == 0 || epoch == cfg.getInt("num_epochs") - 1;
    }

    /**
     * Before a checkpoint: the loss of the epoch's first minibatch recomputed with the updated
     * weights (one forward pass, no gradient). An update can blow the weights up to huge but finite
     * values, which only later losses show as NaN; when that update is the epoch's last, the
     * checkpoint would hold it and --resume would go back to it. A non-finite loss here holds
     * checkpoints back until a step is taken again.
     */
    private void probeUpdatedWeights(int epoch, List<SampleRecord> samples, double[] adv, int[] rows, int[] steps) {
        try (NDManager s = Scopes.step(root, policy.forwardParameters())) {
            float loss = minibatchLoss(s, samples, adv, rows, steps).loss().getFloat();
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
     * weights: row i is sample {@code rows[i]} at trajectory step {@code steps[i]}. Differentiable
     * inside a gradient collector.
     */
    private MinibatchLoss minibatchLoss(NDManager s, List<SampleRecord> samples, double[] adv, int[] rows,
            int[] steps) {
        int bs = rows.length;
        Shape latentShape = new Shape(lastShape[2], lastShape[3], lastShape[4]);
        int perLatent = (int) latentShape.size();
        int perEmbed = (int) (lastShape[5] * lastShape[6]);
        float[] xt = new float[bs * perLatent];
        float[] xprev = new float[bs * perLatent];
        float[] old = new float[bs];
        float[] a = new float[bs];
        float[] emb = new float[bs * perEmbed];
        float[] neg = new float[bs * perEmbed];
        long[] t = new long[bs];
        for (int row = 0; row < bs; row++) {
            SampleRecord rec = samples.get(rows[row]);
            int step = steps[row];
            System.arraycopy(rec.latents(), step * perLatent, xt, row * perLatent, perLatent);
            System.arraycopy(rec.latents(), (step + 1) * perLatent, xprev, row * perLatent, perLatent);
            System.arraycopy(rec.promptEmbeds(), 0, emb, row * perEmbed, perEmbed);
            System.arraycopy(negativeEmbeds, 0, neg, row * perEmbed, perEmbed);
            old[row] = rec.logProbs()[step];
            a[row] = (float) adv[rows[row]];
            t[row] = timesteps[step];
        }
        Shape latentRows = new Shape(bs, latentShape.get(0), latentShape.get(1), latentShape.get(2));
        Shape embRows = new Shape(bs, lastShape[5], lastShape[6]);
        NDArray xtA = HostArrays.floats(s, xt, latentRows);
        NDArray xprevA = HostArrays.floats(s, xprev, latentRows);
        NDArray embA = HostArrays.floats(s, emb, embRows);
        NDArray negA = HostArrays.floats(s, neg, embRows);
        DDIMStep stepOut = policy.stepLogProb(xtA, xprevA, t, embA, negA);
        NDArray oldA = HostArrays.floats(s, old);
        NDArray advA = HostArrays.floats(s, a);
        PolicyLoss.Terms lt = cfg.getString("train.algorithm").equals("sf")
                ? PolicyLoss.scoreFunction(stepOut.logProb(), oldA, advA)
                : PolicyLoss.importanceSampling(stepOut.logProb(), oldA, advA, cfg.getDouble("train.clip_range"));
        NDArray loss = lt.loss();
        double klBeta = cfg.getDouble("train.kl_beta");
        if (klBeta > 0) {
            NDArray ref = policy.referenceMean(xtA, xprevA, t, embA, negA);
            loss = loss.add(PolicyLoss.klPenalty(stepOut.mean(), ref, stepOut.std(), klBeta));
        }
        return new MinibatchLoss(loss, lt);
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
                rewardStreak), trainable, adam, meta, cfg.getInt("num_checkpoint_limit"));
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

    public void close() {
        root.close();
    }
}
