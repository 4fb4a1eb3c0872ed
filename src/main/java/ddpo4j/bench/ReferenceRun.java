package ddpo4j.bench;

import ai.djl.ndarray.NDManager;
import ddpo4j.nn.LoraLayers;
import ddpo4j.pipeline.SamplingOptions;
import ddpo4j.pipeline.StableDiffusionPipeline;
import ddpo4j.prompts.PromptFunctions;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.registry.Rewards;
import ddpo4j.rl.DiffusionPolicy;
import ddpo4j.rl.RunDir;
import ddpo4j.rl.TrainConfig;
import ddpo4j.rl.Trainer;
import ddpo4j.rl.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A training run with the reference implementation's per-epoch settings (sampling batches 4 × 2,
 * train batch 2 with accumulation 2, LoRA rank 4, JPEG compressibility) in a temporary run dir:
 * the workload the epoch time, the soak and the profile measure.
 */
final class ReferenceRun {
    private ReferenceRun() {}

    /** Trains {@code epochs} epochs and returns their metrics; the run dir is deleted afterwards. */
    static List<Map<String, Object>> train(Benchmark.Settings s, int epochs, TrainingListener listener) throws Exception {
        Path dir = Files.createTempDirectory("ddpo4j-bench");
        try {
            TrainConfig cfg = TrainConfig.resolve(null, List.of("pretrained.model=" + s.model(),
                    "num_epochs=" + epochs, "save_freq=" + Math.max(1, epochs / 4), "num_checkpoint_limit=2",
                    "sample.num_steps=" + s.steps(), "sample.guidance_scale=" + s.guidance(), "sample.batch_size=4",
                    "sample.num_batches_per_epoch=2", "train.batch_size=2", "train.gradient_accumulation_steps=2",
                    "reward_fn=jpeg_compressibility", "save_images=0"));
            try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(s.model());
                    NDManager m = NDManager.newBaseManager();
                    Reward reward = Rewards.create("jpeg_compressibility")) {
                LoraLayers lora = LoraLayers.install(pipe.unet(), LoraLayers.ATTENTION_PROJECTIONS, 4, 4);
                lora.initialize(m, 0);
                DiffusionPolicy policy = new DiffusionPolicy(pipe, lora,
                        new SamplingOptions(s.steps(), s.guidance(), 1.0, 0, 0), true);
                RunDir run = new RunDir(dir);
                Trainer trainer = new Trainer(cfg, policy, reward, PromptFunctions.create("fixed", Map.of()), run,
                        listener);
                try {
                    trainer.train(0);
                } finally {
                    trainer.close();
                }
                return run.readMetrics();
            }
        } finally {
            Benchmark.deleteTree(dir);
        }
    }
}
