package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ddpo4j.nn.LoraLayers;
import ddpo4j.pipeline.SamplingOptions;
import ddpo4j.pipeline.StableDiffusionPipeline;
import ddpo4j.prompts.PromptFunctions;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.registry.Rewards;
import ddpo4j.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DDPO-IS with LoRA on the tiny reference pipeline: learning, the on-policy self-test, exact resume. */
@Tag("slow")
class TrainerEndToEndTest {
    @TempDir
    Path tmp;

    /** LoRA, CFG, per-prompt tracking, accumulation: the reference's setup at toy size (resume test). */
    static TrainConfig loraConfig(int epochs) {
        return TrainConfig.resolve(null, List.of(
                "pretrained.model=" + Fixtures.tinySd(),
                "num_epochs=" + epochs, "save_freq=1", "seed=3",
                "sample.num_steps=4", "sample.batch_size=4", "sample.num_batches_per_epoch=2",
                "train.batch_size=2", "train.gradient_accumulation_steps=2", "train.learning_rate=3e-3",
                "train.clip_range=0.2",
                "prompt_fn=list", "prompt_fn_kwargs.prompts=a photo of a cat|three red circles",
                "per_prompt_stat_tracking.min_count=4", "save_images=2"));
    }

    /**
     * JPEG compressibility (optimum: a flat image) on the random tiny pipeline. Its VAE's group
     * norms remove the latents' mean, so brightness barely moves (std 2e-4 over samples); JPEG size
     * follows spatial structure, which the denoiser controls. Full UNet, no CFG: the fastest learner.
     */
    static TrainConfig compressibilityConfig(int epochs) {
        return TrainConfig.resolve(null, List.of(
                "pretrained.model=" + Fixtures.tinySd(), "use_lora=false", "reward_fn=jpeg_compressibility",
                "num_epochs=" + epochs, "save_freq=100", "seed=42",
                "sample.num_steps=4", "sample.batch_size=8", "sample.num_batches_per_epoch=2",
                "sample.guidance_scale=1", "train.batch_size=4", "train.learning_rate=3e-3",
                "train.clip_range=0.2", "advantage=batch", "prompt_fn=fixed", "save_images=1"));
    }

    private static List<Map<String, Object>> run(TrainConfig cfg, Path dir, int stopAfter, boolean resume) {
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(Path.of(cfg.getString("pretrained.model")));
                NDManager loraManager = NDManager.newBaseManager();
                Reward reward = Rewards.create(cfg.getString("reward_fn"))) {
            LoraLayers lora = null;
            if (cfg.getBool("use_lora")) {
                lora = LoraLayers.install(pipe.unet(), LoraLayers.ATTENTION_PROJECTIONS, 4, 4.0);
                lora.initialize(loraManager, cfg.getLong("seed"));
            }
            DiffusionPolicy policy = new DiffusionPolicy(pipe, lora, new SamplingOptions(
                    cfg.getInt("sample.num_steps"), cfg.getDouble("sample.guidance_scale"), cfg.getDouble("sample.eta"),
                    0, 0), cfg.getBool("train.cfg"));
            RunDir runDir = new RunDir(dir);
            Trainer trainer = new Trainer(cfg.with("num_epochs", Integer.toString(stopAfter)), policy,
                    reward, PromptFunctions.create(cfg.getString("prompt_fn"), cfg.promptFnKwargs()),
                    runDir, new TrainingListener() {});
            try {
                trainer.train(resume ? trainer.resume() : 0);
            } finally {
                trainer.close();
            }
            return runDir.readMetrics();
        }
    }

    @Test
    void rewardRisesAndTheRunIsOnPolicy() {
        List<Map<String, Object>> metrics = run(compressibilityConfig(5), tmp.resolve("run"), 5, false);
        assertEquals(5, metrics.size());
        double first = ((Number) metrics.get(0).get("reward_mean")).doubleValue();
        double later = metrics.subList(1, 5).stream().mapToDouble(m -> ((Number) m.get("reward_mean")).doubleValue())
                .average().orElseThrow();
        for (Map<String, Object> m : metrics) {
            System.out.printf("epoch %s reward %.4f ratio_at_start %.7f loss %.4f kl %.2e clipfrac %.3f%n",
                    m.get("epoch"), m.get("reward_mean"), m.get("ratio_at_start"), m.get("loss"), m.get("approx_kl"),
                    m.get("clipfrac"));
            double ratio = ((Number) m.get("ratio_at_start")).doubleValue();
            assertTrue(Math.abs(ratio - 1) < 1e-4, "ratio_at_start " + ratio);
        }
        // kB of JPEG; epoch means have a standard error of about 0.005 (16 samples, std 0.02)
        assertTrue(later > first + 0.008, "compressibility should rise: epoch 0 " + first + ", epochs 1-4 " + later);
        assertTrue(tmp.resolve("run/checkpoints/epoch_000004/state.safetensors").toFile().isFile());
    }

    /**
     * Equal, up to float32 rounding noise for real numbers: resumed runs are bitwise equal on an idle
     * machine, but once, on a heavily loaded one, a loss differed in the 7th digit (2e-7 relative).
     */
    private static void assertSameMetric(Object expected, Object actual, String what) {
        if (expected instanceof Double x && actual instanceof Double y) {
            assertEquals(x, y, 1e-5 * Math.max(1e-3, Math.abs(x)), what);
        } else if (expected instanceof Map<?, ?> x && actual instanceof Map<?, ?> y) {
            assertEquals(x.keySet(), y.keySet(), what);
            for (Object key : x.keySet()) {
                assertSameMetric(x.get(key), y.get(key), what + " " + key);
            }
        } else {
            assertEquals(expected, actual, what);
        }
    }

    @Test
    void resumedRunWritesTheSameMetrics() {
        TrainConfig cfg = loraConfig(3);
        List<Map<String, Object>> straight = run(cfg, tmp.resolve("a"), 3, false);
        run(cfg, tmp.resolve("b"), 1, false); // stops after epoch 1 (checkpoint 0 written)
        List<Map<String, Object>> resumed = run(cfg, tmp.resolve("b"), 3, true);
        assertEquals(3, resumed.size());
        assertTrue(tmp.resolve("b/lora/pytorch_lora_weights.safetensors").toFile().isFile());
        for (int e = 0; e < 3; e++) {
            for (String k : List.of("epoch", "reward_mean", "reward_std", "loss", "approx_kl", "clipfrac",
                    "ratio_at_start", "grad_norm", "reward_mean_per_prompt")) {
                assertSameMetric(straight.get(e).get(k), resumed.get(e).get(k), "epoch " + e + " " + k);
            }
        }
    }
}
