package ddpo4j.rl;

import ai.djl.ndarray.NDManager;
import ddpo4j.io.BundledFiles;
import ddpo4j.io.LoraFiles;
import ddpo4j.nn.LoraLayers;
import ddpo4j.pipeline.SamplingOptions;
import ddpo4j.pipeline.StableDiffusionPipeline;
import ddpo4j.prompts.PromptFunctions;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.registry.Rewards;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The library's way into training: from a {@link TrainConfig} to a ready {@link Trainer}. It is the
 * one place that turns settings into parts, so what runs is what the config (and so every
 * checkpoint's metadata) says; the CLI, the benchmark and the tests all come through here.
 *
 * <pre>{@code
 * TrainConfig cfg = TrainConfig.resolve(Path.of("my.yaml"), List.of("num_epochs=10"));
 * try (Trainer trainer = TrainingSetup.open(cfg, Path.of("runs/my-run"), new TrainingListener() {})) {
 *     trainer.train(0);            // or trainer.train(trainer.resume()) to continue a run dir
 * }
 * }</pre>
 */
public final class TrainingSetup {
    private TrainingSetup() {}

    /** As {@link #open(TrainConfig, Path, Reward, TrainingListener)} with the reward {@code reward_fn} names. */
    public static Trainer open(TrainConfig cfg, Path runDir, TrainingListener listener) {
        return open(cfg, runDir, listener, Collective.single());
    }

    /** One rank of a data-parallel run: as {@link #open(TrainConfig, Path, TrainingListener)}. */
    public static Trainer open(TrainConfig cfg, Path runDir, TrainingListener listener, Collective ranks) {
        cfg.validate();
        Reward reward = Rewards.create(cfg.getString("reward_fn"));
        try {
            Trainer trainer = open(cfg, runDir, reward, listener, ranks);
            trainer.closeWhenDone(reward);
            return trainer;
        } catch (RuntimeException e) {
            closeQuietly(reward, e);
            throw e;
        }
    }

    /**
     * Validates {@code cfg}; loads {@code pretrained.model} (a folder or {@code bundled:NAME});
     * installs LoRA (rank {@code lora_rank}, alpha {@code lora_alpha}, seeded from {@code seed}) or
     * loads {@code init_lora} into it, or trains the whole UNet; derives the sampling options from
     * {@code sample.*}; creates the {@code eval.reward} and {@code guard.monitor_reward} rewards if
     * set; writes {@code config.yaml} into {@code runDir}; and returns a trainer that owns the model
     * and those rewards (closed with it). {@code reward}, the training reward, stays the caller's.
     */
    public static Trainer open(TrainConfig cfg, Path runDir, Reward reward, TrainingListener listener) {
        return open(cfg, runDir, reward, listener, Collective.single());
    }

    /** One rank of a data-parallel run; rank 0 writes {@code config.yaml}. */
    public static Trainer open(TrainConfig cfg, Path runDir, Reward reward, TrainingListener listener,
            Collective ranks) {
        cfg.validate();
        RunDir run = new RunDir(runDir);
        if (ranks.isLeader()) {
            run.writeConfig(cfg.toYaml());
        }
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            Reward eval = optionalReward(cfg.getString("eval.reward"), owned);
            Reward monitor = optionalReward(cfg.getString("guard.monitor_reward"), owned);
            StableDiffusionPipeline pipe = StableDiffusionPipeline.load(BundledFiles.model(cfg.getString("pretrained.model")));
            owned.add(pipe);
            NDManager loraManager = NDManager.newBaseManager();
            owned.add(loraManager);
            DiffusionPolicy policy = new DiffusionPolicy(pipe, lora(cfg, pipe, loraManager), samplingOptions(cfg),
                    cfg.getBool("train.cfg"));
            Trainer trainer = new Trainer(cfg, policy, new RewardRoles(reward, eval == null ? reward : eval, monitor),
                    PromptFunctions.create(cfg.getString("prompt_fn"), cfg.promptFnKwargs()), run, listener, ranks);
            owned.forEach(trainer::closeWhenDone);
            return trainer;
        } catch (RuntimeException e) {
            for (int i = owned.size() - 1; i >= 0; i--) {
                closeQuietly(owned.get(i), e);
            }
            throw e;
        }
    }

    /** The reward {@code spec} names (added to {@code owned}), or null for an empty spec. */
    private static Reward optionalReward(String spec, List<AutoCloseable> owned) {
        if (spec.isBlank()) {
            return null;
        }
        Reward r = Rewards.create(spec);
        owned.add(r);
        return r;
    }

    /** The sampler's settings, from {@code sample.*}: the only place they are read. */
    public static SamplingOptions samplingOptions(TrainConfig cfg) {
        return new SamplingOptions(cfg.getInt("sample.num_steps"), cfg.getDouble("sample.guidance_scale"),
                cfg.getDouble("sample.eta"), cfg.getInt("sample.height"), cfg.getInt("sample.width"));
    }

    /** LoRA on the {@code lora_targets} layers, seeded or loaded from {@code init_lora}; null for the whole UNet. */
    private static LoraLayers lora(TrainConfig cfg, StableDiffusionPipeline pipe, NDManager manager) {
        if (!cfg.getBool("use_lora")) {
            return null;
        }
        LoraLayers lora = LoraLayers.install(pipe.unet(), cfg.loraTargets(), cfg.getInt("lora_rank"),
                cfg.getDouble("lora_alpha"));
        lora.initialize(manager, Seeds.stream(cfg.getLong("seed"), 0, Seeds.LORA_INIT, 0).nextLong());
        if (!cfg.getString("init_lora").isEmpty()) {
            LoraFiles.load(Path.of(cfg.getString("init_lora")), lora, manager);
        }
        return lora;
    }

    private static void closeQuietly(AutoCloseable c, RuntimeException cause) {
        try {
            c.close();
        } catch (Exception suppressed) {
            cause.addSuppressed(suppressed);
        }
    }
}
