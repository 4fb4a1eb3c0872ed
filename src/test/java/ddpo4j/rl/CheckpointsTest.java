package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.Ddpo4jException;
import ddpo4j.nn.Linear;
import ddpo4j.nn.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a killed or diverged run may leave in checkpoints/, and what a resume makes of it. */
class CheckpointsTest {
    @TempDir
    Path tmp;

    private static Map<String, Parameter> weights(NDManager m, float first) {
        Map<String, Parameter> w = new Linear(2, 2, false).namedParameters();
        w.get("weight").set(m.create(new float[] {first, 1, 2, 3}, new Shape(2, 2)));
        return w;
    }

    private static void save(Path dir, int epoch, Map<String, Parameter> w, NDManager m, int keep) {
        AdamW adam = new AdamW(w.values().stream().map(Parameter::value).toList(), AdamW.Options.ddpoDefaults(), m);
        Checkpoints.save(dir, new Checkpoints.State(epoch, epoch, Map.of(), 0), w, adam, Map.of(), keep);
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aNonFiniteWeightIsNeverWritten() throws Exception {
        Path dir = tmp.resolve("run/checkpoints");
        try (NDManager m = NDManager.newBaseManager()) {
            save(dir, 0, weights(m, 0), m, 5);
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> save(dir, 1, weights(m, bad), m, 1));
                assertTrue(e.getMessage().startsWith("not writing checkpoint " + dir.resolve("epoch_000001") + ": weight"
                        + " holds NaN or infinite values"), e.getMessage());
                assertTrue(e.getMessage().contains(dir.resolve("epoch_000000") + ", is untouched"), e.getMessage());
            }
            // huge but finite is written: only NaN and infinities are refused
            save(dir, 2, weights(m, 3e38f), m, 5);
        }
        assertEquals(List.of("epoch_000000", "epoch_000002"), names(dir));
    }

    @Test
    void foldersLeftByAKillAreNotCheckpointsAndAResumeCleansThemUp() throws Exception {
        RunDir run = new RunDir(tmp.resolve("run"));
        Path dir = run.checkpoints();
        try (NDManager m = NDManager.newBaseManager()) {
            for (int epoch = 0; epoch < 3; epoch++) {
                save(dir, epoch, weights(m, epoch), m, 5);
            }
        }
        // a checkpoint half-deleted in place (as before deletion renamed first), a half-written one,
        // one mid-deletion, and an interrupted atomic write of metrics.jsonl
        Files.delete(dir.resolve("epoch_000002/state.safetensors"));
        Files.createDirectories(dir.resolve(".epoch_000003.tmp"));
        Files.write(dir.resolve(".epoch_000003.tmp/state.safetensors"), new byte[] {1, 2, 3});
        Files.createDirectories(dir.resolve(".trash.epoch_000000"));
        Files.writeString(run.root().resolve(".metrics.jsonl.5f3a.tmp"), "{\"epoch\": 0, \"los");
        assertEquals(dir.resolve("epoch_000001"), Checkpoints.latest(dir));

        run.cleanUpAfterCrash(1); // num_checkpoint_limit 1: a kill between save and prune kept one too many
        assertEquals(List.of("epoch_000001", "epoch_000002"), names(dir)); // the broken one is not counted
        assertFalse(Files.exists(run.root().resolve(".metrics.jsonl.5f3a.tmp")));
        assertEquals(dir.resolve("epoch_000001"), Checkpoints.latest(dir));
    }

    @Test
    void theGuardCountsStreaksPerKindAndHoldsCheckpointsBackInsideAStepStreak() {
        NonFiniteGuard g = new NonFiniteGuard(3);
        assertFalse(g.rewardBatch(1));
        assertFalse(g.stepSkipped());
        assertFalse(g.checkpointAllowed());
        assertFalse(g.rewardBatch(2));
        g.stepTaken(); // a finite step ends the step streak only
        assertTrue(g.checkpointAllowed());
        assertEquals(2, g.rewardStreak());
        assertTrue(g.rewardBatch(1), "third reward batch in a row");
        assertEquals(Map.of("nonfinite_skipped", 4, "nonfinite_steps_skipped", 1, "nonfinite_rewards_dropped", 4),
                g.epochMetrics());
        assertEquals(0, g.epochMetrics().get("nonfinite_skipped"));
        g.rewardBatch(0);
        assertEquals(0, g.rewardStreak());
        assertFalse(g.stepSkipped());
        assertFalse(g.stepSkipped());
        assertTrue(g.stepSkipped());
    }
}
