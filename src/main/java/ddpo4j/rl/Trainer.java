package ddpo4j.rl;

import static java.nio.charset.StandardCharsets.UTF_8;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.eval.ImageStatistics;
import ddpo4j.io.JsonFile;
import ddpo4j.nn.Parameter;
import ddpo4j.prompts.PromptSource;
import ddpo4j.rewards.MeteredReward;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.ScoredBatch;
import ddpo4j.tensor.GradMode;
import ddpo4j.tensor.NativeHeap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DDPO loop (Black et al. 2023, Algorithm 1, as ddpo-pytorch's train.py runs it). Each epoch:
 * <ol>
 *   <li>sample trajectories with the current policy, the reward scoring finished batches meanwhile
 *       ({@link EpochSampler});</li>
 *   <li>wait for the rewards, keeping the scored samples ({@link RewardCollector});</li>
 *   <li>turn rewards into clipped advantages ({@link AdvantageEstimator});</li>
 *   <li>take clipped importance-sampling (or score-function) gradient steps over shuffled samples
 *       and timesteps ({@link PolicyUpdate});</li>
 *   <li>log the epoch ({@link EpochMetrics}) and checkpoint it when due ({@link RunCheckpoints}),
 *       so a stopped run resumes exactly.</li>
 * </ol>
 * Build one with {@link TrainingSetup}; any {@link Policy} trains the same way.
 */
public final class Trainer implements AutoCloseable {
    private final TrainSettings settings;
    private final MeteredReward reward;
    private final RunDir run;
    private final TrainingListener listener;
    private final NDManager root = NDManager.newBaseManager();
    private final Map<String, Parameter> trainable;
    private final AdvantageEstimator advantages;
    private final NonFiniteGuard nonFinite;
    private final EpochEvaluator evaluator;
    private final EpochSampler sampler;
    private final RewardCollector rewards;
    private final PolicyUpdate update;
    private final RunCheckpoints checkpoints;
    private final Guard guard;
    private final Collective ranks;
    private final List<AutoCloseable> owned = new ArrayList<>(); // closed with the trainer, last first

    /** A trainer whose one reward also scores the evaluation, with no monitor. */
    public Trainer(TrainConfig cfg, Policy policy, Reward reward, PromptSource prompts, RunDir run,
            TrainingListener listener) {
        this(cfg, policy, RewardRoles.of(reward), prompts, run, listener, Collective.single());
    }

    /**
     * A trainer that is one of {@code ranks}: every rank runs the same config and computes the same
     * weights; rank 0 alone writes the run dir and evaluates.
     */
    public Trainer(TrainConfig cfg, Policy policy, RewardRoles roles, PromptSource prompts, RunDir run,
            TrainingListener listener, Collective ranks) {
        NativeHeap.configure(2); // as the CLI does, for library users and Spark executors: freed activations reused
        this.settings = TrainSettings.of(cfg);
        this.ranks = ranks;
        if (settings.sampling().batchesPerEpoch() % ranks.size() != 0) {
            throw new Ddpo4jException("sample.num_batches_per_epoch (" + settings.sampling().batchesPerEpoch()
                    + ") must be a multiple of the number of ranks (" + ranks.size() + ")");
        }
        this.reward = new MeteredReward(roles.train());
        this.run = run;
        this.listener = listener;
        this.trainable = policy.trainableParameters();
        List<NDArray> weights = trainable.values().stream().map(Parameter::value).toList();
        weights.forEach(w -> w.setRequiresGradient(true));
        TrainSettings.Optimization o = settings.optimization();
        AdamW adam = new AdamW(weights, o.adam(), root);
        this.advantages = settings.newAdvantageEstimator();
        this.nonFinite = new NonFiniteGuard(settings.safety().maxNonFiniteInARow());
        this.checkpoints = new RunCheckpoints(run, ranks.isLeader(), cfg.toYaml(), settings.checkpointLimit(), policy,
                adam, advantages, nonFinite, listener);
        this.evaluator = new EpochEvaluator(cfg, policy, roles.eval() == roles.train() ? this.reward : roles.eval());
        this.sampler = new EpochSampler(policy, this.reward, roles.monitor(), prompts, settings.sampling(),
                settings.seed(), ranks, listener, root);
        this.guard = new Guard(settings.guard());
        this.rewards = new RewardCollector(roles.train().name(), settings.rewardFailure(), nonFinite, listener, checkpoints);
        Map<String, NDArray> byName = new LinkedHashMap<>();
        trainable.forEach((name, p) -> byName.put(name, p.value()));
        this.update = new PolicyUpdate(policy, o, settings.safety().ratioTolerance(),
                PolicyUpdate.seeded(settings.seed()), root, new OptimizerStep(root, weights, adam, o.maxGradNorm()),
                nonFinite, checkpoints, listener,
                settings.safety().detectAnomaly() ? new AnomalyDetector(byName) : null, settings.klToBase(), ranks);
    }

    /**
     * Restores the newest checkpoint of the run dir; returns the first epoch still to run (0 if none).
     * Whatever a killed run wrote after that checkpoint is dropped or redone.
     */
    public int resume() {
        GradMode.off(); // loading writes into trainable weights in place
        checkpoints.cleanUpAfterCrash();
        if (ranks.size() > 1) {
            // every rank must resume from the same checkpoint: the run dir must be storage they all share
            List<byte[]> seen = ranks.allGather(Integer.toString(checkpoints.newestEpoch()).getBytes(UTF_8));
            for (int r = 1; r < seen.size(); r++) {
                if (!Arrays.equals(seen.get(r), seen.get(0))) {
                    throw new Ddpo4jException("rank " + r + " sees checkpoint epoch " + new String(seen.get(r), UTF_8)
                            + " in " + run.checkpoints() + ", rank 0 sees " + new String(seen.get(0), UTF_8)
                            + ": the run dir must be on storage every executor shares");
                }
            }
        }
        int first = checkpoints.resume(root);
        guard.replay(run.readMetrics()); // the lines up to the checkpoint: the guard's state then
        return first;
    }

    /** Runs epochs {@code first} .. num_epochs-1, then evaluates the final policy (when eval.sets is set). */
    public void train(int first) {
        GradMode.off(); // the calling thread may not be the one that loaded the engine (a Spark task's)
        int epochs = settings.numEpochs();
        for (int epoch = first; epoch < epochs; epoch++) {
            // the policy entering the epoch: epoch 0 is the base model, the final one is evaluated after the loop
            Map<String, Object> evals = epoch % settings.evalFreq() == 0 ? evaluate(run.samplesDir(epoch)) : Map.of();
            if (guarded(epoch, evals)) {
                return; // the guard stopped the run: these evaluations were the final policy's
            }
            Map<String, Object> metrics = runEpoch(epoch);
            metrics.putAll(evals);
            metrics.putAll(guard.toMetrics());
            if (ranks.isLeader()) {
                run.appendMetrics(metrics);
                listener.epochEnd(metrics);
            }
            if (settings.checkpointDue(epoch)) {
                checkpoints.endOfEpoch(epoch);
            }
        }
        // also after a resume from the final checkpoint of a run killed before it wrote eval_final.json
        Path finalEval = run.root().resolve(RunDir.FINAL_EVAL);
        if (evaluator.enabled() && ranks.isLeader() && (first < epochs || !Files.exists(finalEval))) {
            Map<String, Object> last = evaluator.evaluate(run.finalSamplesDir());
            guarded(epochs, last);
            JsonFile.write(finalEval, last);
            listener.finalEvaluation(last);
        }
    }

    /** The evaluation of the current policy: rank 0 evaluates, every rank gets its metrics (for the guard). */
    private Map<String, Object> evaluate(Path imageDir) {
        return LeaderBroadcast.of(ranks, ranks.isLeader() ? evaluator.evaluate(imageDir) : Map.of());
    }

    /**
     * Shows the evaluation of the policy entering {@code epoch} to the guard and acts on its verdict;
     * true when the run must stop (guard.action=stop), after checkpointing the policy evaluated.
     */
    private boolean guarded(int epoch, Map<String, Object> evals) {
        Guard.Verdict v = guard.observe(epoch, evals);
        Guard.Action action = settings.guard().action();
        if (v == Guard.Verdict.IMPROVED && action == Guard.Action.KEEP_BEST) {
            checkpoints.saveBest(epoch, guard.settings().metric(), evals.get(guard.settings().metric()));
        }
        if (v != Guard.Verdict.ALERT) {
            return false;
        }
        if (action != Guard.Action.STOP || epoch == settings.numEpochs()) {
            listener.warning("guard: " + guard.describe() + (action == Guard.Action.KEEP_BEST
                    ? "; the best policy's LoRA is in " + run.bestLoraDir() : ""));
            return false;
        }
        checkpoints.endOfEpoch(epoch - 1);
        if (ranks.isLeader()) {
            JsonFile.write(run.root().resolve(RunDir.FINAL_EVAL), evals);
            JsonFile.write(run.root().resolve(RunDir.GUARD_STOP), Map.of("metric", guard.settings().metric(),
                    "stopped_before_epoch", epoch, "guard", guard.toMetrics()));
            listener.warning("guard: stopped before epoch " + epoch + ": " + guard.describe());
            listener.finalEvaluation(evals);
        }
        return true;
    }

    private Map<String, Object> runEpoch(int epoch) {
        nonFinite.epochStart();
        long t0 = System.nanoTime();
        TrajectoryBuffer buffer = new TrajectoryBuffer();
        List<SampledBatch> batches = SampledBatchCodec.exchange(sampler.sample(epoch, buffer), ranks);
        long t1 = System.nanoTime();
        if (ranks.isLeader()) {
            EpochSampler.saveImages(run, epoch, batches);
        }
        ImageStatistics images = new ImageStatistics();
        List<ScoredBatch> scored = new ArrayList<>();
        for (SampledBatch b : batches) { // in batch order, as one process adds them
            b.records().forEach(buffer::add);
            scored.add(b.scores());
            images.merge(b.imageStatistics());
        }
        double[] scores = rewards.collect(epoch, buffer, scored, settings.sampling().batchSize());
        long t2 = System.nanoTime();
        List<String> promptList = buffer.samples().stream().map(SampleRecord::prompt).toList();
        double[] adv = buffer.size() == 0 ? new double[0] : advantages.advantages(promptList, scores);
        clip(adv, settings.advantages().clipMax()); // as train.py clips them inside the loss
        // none when every sample's reward was non-finite
        Map<String, Double> train = buffer.size() == 0 ? EpochStats.nothingTrained()
                : update.run(epoch, buffer, adv, settings.checkpointDue(epoch));
        long t3 = System.nanoTime();
        Map<String, Object> metrics = EpochMetrics.of(epoch, promptList, scores, adv, train, nonFinite.epochMetrics(),
                new EpochMetrics.Timings(t0, t1, t2, t3), reward.statsAndReset().toMetrics(),
                settings.optimization().adam().lr());
        metrics.putAll(images.toMetrics());
        if (batches.get(0).monitor() != null) {
            metrics.putAll(RewardMonitor.metrics(batches, buffer.samples(), scores));
        }
        return metrics;
    }

    /** Clips each advantage to [-max, max], in place. */
    static void clip(double[] adv, double max) {
        for (int i = 0; i < adv.length; i++) {
            adv[i] = Math.max(-max, Math.min(max, adv[i]));
        }
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
