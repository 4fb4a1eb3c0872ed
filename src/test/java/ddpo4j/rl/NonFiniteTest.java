package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.cli.Main;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NaN/Inf policy on real runs of the tiny pipeline: a reward class that answers NaN, and
 * weights blown up by a huge learning rate (real mechanisms, no hooks). Non-finite rewards drop
 * their samples, non-finite losses skip their steps, both are counted in metrics.jsonl, and N in a
 * row stop the run with the newest checkpoint finite and resumable.
 */
@Tag("slow")
class NonFiniteTest {
    private static final String NAN_REWARD = "java:class=" + NanInjectingReward.class.getName();

    @TempDir
    Path tmp;

    private static TrainConfig config(String reward, int epochs) {
        // train.batch_size 1 with accumulation 2: 3 samples left after a drop make a window of one minibatch
        return TrainConfig.resolve(null, List.of("pretrained.model=" + Fixtures.tinySd(), "reward_fn=" + reward,
                "num_epochs=" + epochs, "save_freq=1", "seed=5", "sample.num_steps=2", "sample.batch_size=2",
                "sample.num_batches_per_epoch=2", "train.batch_size=1", "train.gradient_accumulation_steps=2",
                "prompt_fn=list", "prompt_fn_kwargs.prompts=a cat|a dog", "per_prompt_stat_tracking.min_count=2",
                "save_images=0"));
    }

    /** Trains in this JVM (as the CLI does) and returns the listener's warnings. */
    private static List<String> train(TrainConfig cfg, Path dir, boolean resume) {
        List<String> warnings = new ArrayList<>();
        try (Trainer t = TrainingSetup.open(cfg, dir, new TrainingListener() {
                    @Override
                    public void warning(String text) {
                        warnings.add(text);
                    }
                })) {
            t.train(resume ? t.resume() : 0);
        }
        return warnings;
    }

    private static int intOf(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).intValue();
    }

    @Test
    void aNanRewardDropsItsSampleAndIsCountedAndReported() {
        Path dir = tmp.resolve("run");
        List<String> warnings = train(config(NAN_REWARD + ",nan_call=1", 2), dir, false);
        List<Map<String, Object>> metrics = new RunDir(dir).readMetrics();
        assertEquals(2, metrics.size());
        Map<String, Object> e0 = metrics.get(0);
        assertEquals(3, intOf(e0, "num_samples"));
        assertEquals(1, intOf(e0, "nonfinite_skipped"));
        assertEquals(1, intOf(e0, "nonfinite_rewards_dropped"));
        assertEquals(0, intOf(e0, "nonfinite_steps_skipped"));
        // 3 minibatches with accumulation 2: the leftover one still makes a step
        assertEquals(2, intOf(e0, "optimizer_steps"));
        assertTrue(Double.isFinite(((Number) e0.get("reward_mean")).doubleValue()), e0.toString());
        assertTrue(Double.isFinite(((Number) e0.get("loss")).doubleValue()), e0.toString());
        Map<String, Object> e1 = metrics.get(1);
        assertEquals(4, intOf(e1, "num_samples"));
        assertEquals(0, intOf(e1, "nonfinite_skipped"));
        assertEquals(1, warnings.size(), warnings.toString());
        // sample 2 = epoch 0, batch 1, row 0; its prompt is named
        assertTrue(warnings.get(0).startsWith("epoch 0, reward batch 1: non-finite reward NaN for sample 2 (prompt \"a "),
                warnings.get(0));
    }

    @Test
    void nanRewardsInARowStopTheRunAndItResumesFromAFiniteCheckpoint() throws Exception {
        Path dir = tmp.resolve("run");
        // calls 2 and 3 are epoch 1 (every sample dropped, nothing trained), call 4 is the third in a row
        Ddpo4jException e = assertThrows(Ddpo4jException.class,
                () -> train(config(NAN_REWARD + ",nan_from=2", 4), dir, false));
        assertTrue(e.getMessage().startsWith("stopped: 3 reward batches with a non-finite score in a row"
                + " (train.max_nonfinite_in_a_row=3); last: epoch 2, reward batch 0: non-finite reward NaN"),
                e.getMessage());
        assertTrue(e.getMessage().contains("epoch_000001") && e.getMessage().contains("--resume " + dir),
                e.getMessage());
        List<Map<String, Object>> metrics = new RunDir(dir).readMetrics();
        assertEquals(2, metrics.size());
        assertEquals(0, intOf(metrics.get(1), "num_samples"));
        assertEquals(0, intOf(metrics.get(1), "optimizer_steps"));
        assertEquals(2, intOf(metrics.get(1), "nonfinite_skipped"));
        assertEquals(4, intOf(metrics.get(1), "nonfinite_rewards_dropped"));
        Path newest = Checkpoints.latest(dir.resolve("checkpoints"));
        assertEquals("epoch_000001", newest.getFileName().toString());
        assertTrue(Files.readString(newest.resolve("state.json")).contains("\"nonFiniteRewardStreak\" : 2"));
        assertAllFinite(newest.resolve("state.safetensors"));

        // the reward fixed (no NaN any more), the run resumes from that checkpoint and finishes
        train(config(NAN_REWARD, 4), dir, true);
        metrics = new RunDir(dir).readMetrics();
        assertEquals(List.of(0, 1, 2, 3), metrics.stream().map(m -> intOf(m, "epoch")).toList());
        assertEquals(0, intOf(metrics.get(2), "nonfinite_skipped"));
        assertAllFinite(dir.resolve("lora/pytorch_lora_weights.safetensors"));
    }

    /**
     * Weights blown up by train.learning_rate=1e30 (set on a resume, as a user might): the step that
     * blows them up is finite (and the only one of its epoch), every later loss is NaN. The probe
     * before the checkpoint sees it, later steps are skipped, no checkpoint is written after the
     * blow-up, and after 3 skipped steps the CLI stops with one message. Resumed with the old
     * learning rate, the run ends exactly as one that never diverged.
     */
    @Test
    void divergedWeightsSkipStepsStopTheRunAndLeaveTheCheckpointBeforeThemIntact() throws Exception {
        List<String> sets = List.of("pretrained.model=" + Fixtures.tinySd(), "reward_fn=jpeg_compressibility",
                "save_freq=1", "num_checkpoint_limit=1", "seed=7", "sample.num_steps=2", "sample.batch_size=2",
                "sample.num_batches_per_epoch=2", "train.batch_size=4", "prompt_fn=list",
                "prompt_fn_kwargs.prompts=a cat|a dog", "per_prompt_stat_tracking.min_count=2", "save_images=0");
        Path straight = tmp.resolve("straight");
        assertEquals(0, cli(null, straight, sets, "num_epochs=4"));

        Path dir = tmp.resolve("run");
        assertEquals(0, cli(null, dir, sets, "num_epochs=2"));
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), args(dir, true, List.of(), List.of(
                "train.learning_rate=1e30", "num_epochs=6")));
        assertEquals(2, code, err.toString());
        String message = err.toString().strip();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("error: stopped: 3 skipped optimizer steps (non-finite loss or grad norm) in a"
                + " row (train.max_nonfinite_in_a_row=3); last: epoch 5, optimizer step 0: non-finite loss NaN"), message);
        assertTrue(message.contains("checkpoints/epoch_000001") && message.contains("--resume " + dir), message);

        // epoch 2: its one step blew the weights up (finite); epochs 3, 4 and 5 skipped theirs, 5 stopped
        List<Map<String, Object>> metrics = new RunDir(dir).readMetrics();
        assertEquals(5, metrics.size());
        assertEquals(1, intOf(metrics.get(2), "optimizer_steps"));
        assertEquals(0, intOf(metrics.get(2), "nonfinite_skipped"));
        for (int e = 3; e < 5; e++) {
            assertEquals(0, intOf(metrics.get(e), "optimizer_steps"));
            assertEquals(1, intOf(metrics.get(e), "nonfinite_steps_skipped"));
            assertEquals(1, intOf(metrics.get(e), "optimizer_steps_skipped"), "its loss is left out of the means");
            assertEquals(1, intOf(metrics.get(e), "nonfinite_skipped"));
        }
        // the checkpoint before the blow-up is the newest and was not pruned (num_checkpoint_limit=1)
        try (var list = Files.list(dir.resolve("checkpoints"))) {
            assertEquals(Set.of("epoch_000001"), Set.copyOf(list.map(p -> p.getFileName().toString()).toList()));
        }
        assertAllFinite(dir.resolve("checkpoints/epoch_000001/state.safetensors"));

        // with detect_anomaly the same resume stops at the first NaN instead, naming where it arose
        Path anomaly = tmp.resolve("anomaly");
        assertEquals(0, cli(null, anomaly, sets, "num_epochs=2"));
        StringWriter anomalyErr = new StringWriter();
        assertEquals(2, Main.run(new PrintWriter(anomalyErr, true), args(anomaly, true, List.of(), List.of(
                "train.learning_rate=1e30", "num_epochs=6", "train.detect_anomaly=true"))), anomalyErr.toString());
        assertTrue(anomalyErr.toString().strip().startsWith("error: detect_anomaly: the loss is NaN at epoch 3,"
                + " optimizer step 0, timestep index 0, rows (sample indices) ["), anomalyErr.toString());

        assertEquals(0, Main.run(new PrintWriter(err, true), args(dir, true, List.of(), List.of(
                "train.learning_rate=3e-4", "num_epochs=4"))), err.toString());
        List<Map<String, Object>> expected = new RunDir(straight).readMetrics();
        metrics = new RunDir(dir).readMetrics();
        assertEquals(4, metrics.size());
        for (int e = 0; e < 4; e++) {
            for (String k : List.of("epoch", "reward_mean", "loss", "grad_norm", "optimizer_steps", "nonfinite_skipped")) {
                assertEquals(expected.get(e).get(k), metrics.get(e).get(k), "epoch " + e + " " + k);
            }
        }
        String lora = "lora/pytorch_lora_weights.safetensors";
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(straight.resolve(lora)), Files.readAllBytes(dir.resolve(lora))),
                "the LoRA equals the uninterrupted run's");
    }

    private static int cli(StringWriter err, Path dir, List<String> sets, String... more) {
        StringWriter e = err != null ? err : new StringWriter();
        int code = Main.run(new PrintWriter(e, true), args(dir, false, sets, List.of(more)));
        assertFalse(code != 0 && err == null, e.toString());
        return code;
    }

    private static String[] args(Path dir, boolean resume, List<String> sets, List<String> more) {
        List<String> a = new ArrayList<>(List.of("train", resume ? "--resume" : "--run-dir", dir.toString()));
        for (String s : sets) {
            a.add("--set");
            a.add(s);
        }
        for (String s : more) {
            a.add("--set");
            a.add(s);
        }
        return a.toArray(String[]::new);
    }

    /** Every float of every tensor in a safetensors file is finite. */
    static void assertAllFinite(Path file) {
        try (SafetensorsReader r = SafetensorsReader.open(file); NDManager m = NDManager.newBaseManager()) {
            for (String key : r.keys()) {
                for (float v : r.load(key, m).toFloatArray()) {
                    assertTrue(Float.isFinite(v), file + ": " + key + " holds " + v);
                }
            }
        }
    }
}
