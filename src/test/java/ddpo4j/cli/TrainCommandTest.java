package ddpo4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ddpo4j.io.LoraFiles;
import ddpo4j.nn.LoraLayers;
import ddpo4j.pipeline.StableDiffusionPipeline;
import ddpo4j.rl.RunDir;
import ddpo4j.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ddpo4j train} as a user runs it: run dir layout, resume with more epochs, clear config errors. */
@Tag("slow")
class TrainCommandTest {
    @TempDir
    Path tmp;

    private static int run(StringWriter err, String... args) {
        return Main.run(new PrintWriter(err, true), args);
    }

    @Test
    void trainThenResumeWithMoreEpochs() throws Exception {
        Path dir = tmp.resolve("run");
        StringWriter err = new StringWriter();
        String[] sets = {"--set", "pretrained.model=" + Fixtures.tinySd(), "--set", "reward_fn=jpeg_compressibility",
            "--set", "sample.num_steps=3", "--set", "sample.batch_size=2", "--set", "sample.num_batches_per_epoch=1",
            "--set", "train.batch_size=2", "--set", "num_epochs=1", "--set", "save_freq=1", "--set",
            "prompt_fn_kwargs.prompt=a red circle", "--set", "per_prompt_stat_tracking.min_count=2", "--set",
            "eval.sets=counting-heldout", "--set", "eval.grid=3"};
        String[] first = new String[sets.length + 3];
        first[0] = "train";
        System.arraycopy(sets, 0, first, 1, sets.length);
        first[sets.length + 1] = "--run-dir";
        first[sets.length + 2] = dir.toString();
        assertEquals(0, run(err, first), err.toString());
        assertTrue(Files.readString(dir.resolve("config.yaml")).contains("learning_rate: 3.0E-4"));
        assertTrue(Files.isRegularFile(dir.resolve("lora/pytorch_lora_weights.safetensors")));
        assertTrue(Files.isRegularFile(dir.resolve("lora/adapter_config.json")));
        assertTrue(Files.isRegularFile(dir.resolve("checkpoints/epoch_000000/state.json")));
        assertTrue(Files.isRegularFile(dir.resolve("samples/epoch_0000/00.png")));

        assertEquals(0, run(err, "train", "--resume", dir.toString(), "--set", "num_epochs=2"), err.toString());
        List<Map<String, Object>> metrics = new RunDir(dir).readMetrics();
        assertEquals(2, metrics.size());
        for (String key : List.of("epoch", "num_samples", "reward_mean", "reward_std", "loss", "approx_kl", "clipfrac",
                "ratio_at_start", "seconds_sampling", "seconds_reward_wait", "seconds_training", "peak_rss_mb")) {
            assertTrue(metrics.get(1).containsKey(key), "metrics lack " + key);
        }
        assertEquals(1, ((Number) metrics.get(1).get("epoch")).intValue());
        assertTrue(Files.isRegularFile(dir.resolve("checkpoints/epoch_000001/state.safetensors")));
        // fixed-seed evaluation of the policy entering each epoch, the final policy, and the report
        assertTrue(metrics.get(0).containsKey("eval.counting-heldout.reward_mean"), metrics.get(0).toString());
        assertEquals(8, ((Number) metrics.get(1).get("eval.counting-heldout.num_samples")).intValue());
        assertTrue(Files.isRegularFile(dir.resolve("samples/epoch_0001/eval_02.png")));
        assertTrue(Files.readString(dir.resolve("samples/epoch_0001/eval.json")).contains("\"seed\""));
        assertTrue(Files.readString(dir.resolve("eval_final.json")).contains("eval.counting-heldout.reward_mean"));
        String report = Files.readString(dir.resolve("report.html"));
        assertTrue(report.contains("<svg") && report.contains("data:image/png;base64,"));

        // the trained LoRA applies to sampling
        Path out = tmp.resolve("samples");
        assertEquals(0, run(err, "sample", "--model", Fixtures.tinySd().toString(), "--lora",
                dir.resolve("lora").toString(), "--prompt", "a red circle", "--steps", "2", "--out", out.toString()),
                err.toString());
        assertTrue(Files.readString(out.resolve("samples.json")).contains("\"lora\""));
    }

    @Test
    void unknownKeyAndMissingModelAreClearErrors() throws Exception {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "train", "--set", "train.lerning_rate=1", "--run-dir", tmp.resolve("x").toString()));
        assertTrue(err.toString().contains("unknown config key \"train.lerning_rate\""), err.toString());
        StringWriter err2 = new StringWriter();
        Path empty = tmp.resolve("empty.yaml");
        Files.writeString(empty, "seed: 1\n");
        assertEquals(2, run(err2, "train", "--config", empty.toString(), "--run-dir", tmp.resolve("y").toString()));
        assertTrue(err2.toString().contains("pretrained.model is not set"), err2.toString());
    }

    @Test
    void initLoraWithAnotherAlphaThanConfiguredIsAClearError() throws Exception {
        Path lora = tmp.resolve("lora");
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(Fixtures.tinySd());
                NDManager m = NDManager.newBaseManager()) {
            LoraLayers r4a8 = LoraLayers.install(pipe.unet(), LoraLayers.ATTENTION_TARGETS, 4, 8);
            r4a8.initialize(m, 1);
            LoraFiles.save(lora, r4a8, Map.of());
        }
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "train", "--set", "pretrained.model=" + Fixtures.tinySd(), "--set",
                "reward_fn=jpeg_compressibility", "--set", "lora_rank=4", "--set", "lora_alpha=4", "--set",
                "init_lora=" + lora, "--run-dir", tmp.resolve("run").toString()));
        assertTrue(err.toString().contains(lora.resolve(LoraFiles.WEIGHTS).toString())
                && err.toString().contains("lora_alpha=8.0"), err.toString());
    }
}
