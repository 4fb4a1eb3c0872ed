package ddpo4j.rl;

import ddpo4j.rewards.RewardFailurePolicy;
import java.util.Locale;

/**
 * The trainer's settings, typed and read once from a validated {@link TrainConfig}: the loop reads
 * fields, never string keys. The model, sampler and LoRA settings are consumed by
 * {@link TrainingSetup}, the evaluation ones by {@link EpochEvaluator}.
 */
record TrainSettings(
        long seed,
        int numEpochs,
        int saveFreq,
        int checkpointLimit,
        Sampling sampling,
        Optimization optimization,
        Advantages advantages,
        RewardFailurePolicy rewardFailure,
        Safety safety,
        int evalFreq,
        Guard.Settings guard,
        boolean klToBase) {

    /** DDPO-IS (PPO-clipped importance sampling) or DDPO-SF (score function, one step per epoch). */
    enum Algorithm { IS, SF }

    /** Which estimator turns rewards into advantages. */
    enum AdvantageKind { PER_PROMPT, BATCH, GROUP, GROUP_CENTERED }

    /** How each epoch's samples are drawn. */
    record Sampling(int batchSize, int batchesPerEpoch, int groupSize, boolean sharedInitialNoise, int saveImages) {
        int perEpoch() {
            return batchSize * batchesPerEpoch;
        }

        /** The index whose initial latents sample {@code index} starts from: its group's first with shared noise. */
        long initialIndex(long index) {
            return sharedInitialNoise ? index - index % perEpoch() % groupSize : index;
        }
    }

    /** The policy-gradient phase. */
    record Optimization(Algorithm algorithm, int batchSize, int accumulationSteps, int innerEpochs,
            double timestepFraction, int skipLastSteps, boolean equalizeTimesteps, double clipRange, double klBeta, double maxGradNorm,
            AdamW.Options adam) {}

    /** Advantage estimation and clipping. */
    record Advantages(AdvantageKind kind, double clipMax, int statBufferSize, int statMinCount) {}

    /** The self-test and the NaN guards. */
    record Safety(double ratioTolerance, int maxNonFiniteInARow, boolean detectAnomaly) {}

    static TrainSettings of(TrainConfig cfg) {
        cfg.validate();
        return new TrainSettings(
                cfg.getLong("seed"),
                cfg.getInt("num_epochs"),
                cfg.getInt("save_freq"),
                cfg.getInt("num_checkpoint_limit"),
                new Sampling(cfg.getInt("sample.batch_size"), cfg.getInt("sample.num_batches_per_epoch"),
                        cfg.getInt("group_size"), cfg.getBool("sample.shared_initial_noise"), cfg.getInt("save_images")),
                new Optimization(
                        cfg.getString("train.algorithm").equals("sf") ? Algorithm.SF : Algorithm.IS,
                        cfg.getInt("train.batch_size"),
                        cfg.getInt("train.gradient_accumulation_steps"),
                        cfg.getInt("train.num_inner_epochs"),
                        cfg.getDouble("train.timestep_fraction"),
                        cfg.getInt("train.skip_last_steps"),
                        cfg.getString("train.timestep_weighting").equals("equalize"),
                        cfg.getDouble("train.clip_range"),
                        cfg.getDouble("train.kl_beta"),
                        cfg.getDouble("train.max_grad_norm"),
                        new AdamW.Options(cfg.getDouble("train.learning_rate"), cfg.getDouble("train.adam_beta1"),
                                cfg.getDouble("train.adam_beta2"), cfg.getDouble("train.adam_weight_decay"),
                                cfg.getDouble("train.adam_epsilon"))),
                new Advantages(
                        AdvantageKind.valueOf(cfg.getString("advantage").toUpperCase(Locale.ROOT)),
                        cfg.getDouble("train.adv_clip_max"),
                        cfg.getInt("per_prompt_stat_tracking.buffer_size"),
                        cfg.getInt("per_prompt_stat_tracking.min_count")),
                RewardFailurePolicy.parse(cfg.getString("reward_failure")),
                new Safety(cfg.getDouble("ratio_tolerance"), cfg.getInt("train.max_nonfinite_in_a_row"),
                        cfg.getBool("train.detect_anomaly")),
                cfg.getInt("eval.freq"),
                new Guard.Settings(cfg.getString("guard.metric").strip(), cfg.getString("guard.mode").equals("max"),
                        Guard.Settings.action(cfg.getString("guard.action")), cfg.getInt("guard.patience"),
                        cfg.getDouble("guard.min_delta")),
                cfg.getBool("guard.kl_to_base"));
    }

    /** The estimator {@link #advantages} names, fresh. */
    AdvantageEstimator newAdvantageEstimator() {
        return switch (advantages.kind()) {
            case BATCH -> new BatchAdvantages();
            case GROUP -> new GroupAdvantages();
            case GROUP_CENTERED -> new CenteredGroupAdvantages();
            case PER_PROMPT -> new PerPromptStatTracker(advantages.statBufferSize(), advantages.statMinCount());
        };
    }

    /** Whether epoch {@code epoch} ends with a checkpoint: every save_freq epochs, and the last. */
    boolean checkpointDue(int epoch) {
        return (epoch + 1) % saveFreq == 0 || epoch == numEpochs - 1;
    }
}
