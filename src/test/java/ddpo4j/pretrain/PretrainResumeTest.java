package ddpo4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pretraining stopped in each of its three phases and resumed from its checkpoints writes the same
 * bytes as one that ran straight through (same seed, same thread count).
 */
@Tag("slow")
class PretrainResumeTest {
    @TempDir
    Path tmp;

    /** Thrown by the log to stop a run right after a given step, as a kill would (minus the checkpoint-time kill). */
    static final class Stop extends RuntimeException {
        Stop(String where) {
            super("stopped at " + where);
        }
    }

    private static ShapesSdRecipe.Settings settings(int vaeSteps) {
        // v2's EMA and a v2-shaped (4x VAE, attention only at the low level) architecture at toy width
        Architecture arch = new Architecture(List.of(32, 32, 32), List.of(32, 64), List.of(false, true), 1, 32, 1);
        return new ShapesSdRecipe.Settings(3, arch, RecipePreset.scheduler(true), new VaeTraining.Settings(vaeSteps, 2, 1e-3, 1e-4, 3, 32),
                new DenoiserTraining.Settings(12, 5, 4, 5e-4, 3, 0.1, 3, 0.9), new VaeTraining.Settings(5, 2, 1e-3, 1e-4, 8), null);
    }

    private void run(Path out, ShapesSdRecipe.Checkpointing c, String stopPhase, int stopStep) {
        TrainingLog log = (phase, step, total, loss) -> {
            if (phase.equals(stopPhase) && step == stopStep) {
                throw new Stop(phase + " " + step);
            }
        };
        ShapesSdRecipe.pretrain(new ShapesSdRecipeTest.Squares(), settings(5), out, Map.of("ddpo4j.test", "resume"), log, c);
    }

    @Test
    void resumedInEveryPhaseEqualsUninterruptedBitForBit() throws IOException {
        // Checkpoints only after each phase's last step: the float32 end state of every phase, to compare
        // at full precision (the model folder's float16 could hide a last-bit difference).
        Path straight = tmp.resolve("straight");
        ShapesSdRecipe.Checkpointing once = new ShapesSdRecipe.Checkpointing(tmp.resolve("ckpt-straight"), 1000);
        run(straight, once, "", 0);

        Path resumed = tmp.resolve("resumed");
        ShapesSdRecipe.Checkpointing c = new ShapesSdRecipe.Checkpointing(tmp.resolve("ckpt"), 2, 4);
        // Each stop falls between checkpoints, so the resumed run redoes a step from the saved state.
        for (String[] stop : new String[][] {{"vae", "3"}, {"decoder", "3"}, {"denoiser", "3"}}) {
            assertThrows(Stop.class, () -> run(resumed, c, stop[0], Integer.parseInt(stop[1])));
        }
        assertEquals(2, new PhaseCheckpoint(c.dir(), "denoiser", 2).stepsDone(), "denoiser stopped after step 3");
        run(resumed, c, "", 0);

        List<Path> files = files(straight);
        assertEquals(files, files(resumed));
        assertTrue(files.contains(Path.of("unet/diffusion_pytorch_model.safetensors")), files.toString());
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(straight.resolve(f)), Files.readAllBytes(resumed.resolve(f)), f.toString());
        }
        for (String phase : List.of("vae", "denoiser", "decoder")) {
            String f = phase + ".safetensors";
            assertArrayEquals(Files.readAllBytes(once.dir().resolve(f)), Files.readAllBytes(c.dir().resolve(f)), f);
        }
        assertTrue(Files.isRegularFile(c.dir().resolve("denoiser-step-000004.safetensors")), "snapshot kept");
        // The finished denoiser checkpoint exported as a folder ships what the run shipped (its EMA weights).
        Path exported = tmp.resolve("exported");
        try (NDManager m = NDManager.newBaseManager()) {
            SnapshotExport.export(resumed, c.dir().resolve("denoiser-step-000004.safetensors"), tmp.resolve("early"), m);
            SnapshotExport.export(resumed, c.dir().resolve("denoiser.safetensors"), exported, m);
        }
        for (String f : List.of("unet/diffusion_pytorch_model.safetensors", "text_encoder/model.safetensors")) {
            assertEquals(0.0, ShapesSdRecipeTest.maxAbsDifference(resumed.resolve(f), exported.resolve(f)), f);
            assertTrue(ShapesSdRecipeTest.maxAbsDifference(resumed.resolve(f), tmp.resolve("early").resolve(f)) > 0,
                    "step 4 differs from step 5: " + f);
        }
        // A finished run rerun with its checkpoints only rewrites the same outputs.
        run(resumed, c, "", 0);
        assertArrayEquals(Files.readAllBytes(straight.resolve("unet/diffusion_pytorch_model.safetensors")),
                Files.readAllBytes(resumed.resolve("unet/diffusion_pytorch_model.safetensors")));
    }

    @Test
    void aRunStoppedAtAStepShipsWhatTheFullRunHadThereAndContinuesToItsEnd() throws IOException {
        // the full 5-step schedule, with a snapshot at step 3
        Path full = tmp.resolve("full");
        ShapesSdRecipe.Checkpointing fc = new ShapesSdRecipe.Checkpointing(tmp.resolve("ckpt-full"), 1000, 3);
        ShapesSdRecipe.pretrain(new ShapesSdRecipeTest.Squares(), settings(5), full, Map.of(), null, fc);
        Path early = tmp.resolve("early");
        try (NDManager m = NDManager.newBaseManager()) {
            SnapshotExport.export(full, fc.dir().resolve("denoiser-step-000003.safetensors"), early, m);
        }
        // the same schedule stopped after step 3
        Path stopped = tmp.resolve("stopped");
        ShapesSdRecipe.Checkpointing sc = new ShapesSdRecipe.Checkpointing(tmp.resolve("ckpt-stopped"), 1000);
        ShapesSdRecipe.pretrain(new ShapesSdRecipeTest.Squares(), settings(5), stopped, Map.of(), null, sc, 3);
        assertEquals(3, new PhaseCheckpoint(sc.dir(), "denoiser", 1000).stepsDone());
        for (String f : List.of("unet/diffusion_pytorch_model.safetensors", "text_encoder/model.safetensors")) {
            assertEquals(0.0, ShapesSdRecipeTest.maxAbsDifference(early.resolve(f), stopped.resolve(f)), f);
        }
        // a stop before the checkpoint cannot go back; no stop continues to the full schedule's end
        Ddpo4jException back = assertThrows(Ddpo4jException.class, () -> ShapesSdRecipe.pretrain(
                new ShapesSdRecipeTest.Squares(), settings(5), stopped, Map.of(), null, sc, 2));
        assertTrue(back.getMessage().contains("past the stop at step 2"), back.getMessage());
        ShapesSdRecipe.pretrain(new ShapesSdRecipeTest.Squares(), settings(5), stopped, Map.of(), null, sc, 0);
        assertArrayEquals(Files.readAllBytes(fc.dir().resolve("denoiser.safetensors")),
                Files.readAllBytes(sc.dir().resolve("denoiser.safetensors")), "float32 end state");
    }

    @Test
    void checkpointsOfOtherSettingsAreRefused() {
        ShapesSdRecipe.Checkpointing c = new ShapesSdRecipe.Checkpointing(tmp.resolve("ckpt"), 2);
        assertThrows(Stop.class, () -> run(tmp.resolve("a"), c, "vae", 1));
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> ShapesSdRecipe.pretrain(
                new ShapesSdRecipeTest.Squares(), settings(6), tmp.resolve("a"), Map.of(), null, c));
        assertTrue(e.getMessage().contains("belongs to another run"), e.getMessage());
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
