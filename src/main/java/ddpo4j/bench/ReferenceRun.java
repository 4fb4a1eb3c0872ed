package ddpo4j.bench;

import ddpo4j.io.FileTrees;
import ddpo4j.rl.RunDir;
import ddpo4j.rl.TrainConfig;
import ddpo4j.rl.Trainer;
import ddpo4j.rl.TrainingSetup;
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
                    "reward_fn=jpeg_compressibility", "save_images=0", "use_lora=true", "lora_rank=4",
                    "lora_alpha=4"));
            try (Trainer trainer = TrainingSetup.open(cfg, dir, listener)) {
                trainer.train(0);
            }
            return new RunDir(dir).readMetrics();
        } finally {
            FileTrees.delete(dir);
        }
    }
}
