package ddpo4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.io.SafeDType;
import ddpo4j.pipeline.SamplingOptions;
import ddpo4j.pipeline.SeededNoise;
import ddpo4j.pipeline.StableDiffusionPipeline;
import ddpo4j.pipeline.Trajectory;
import ddpo4j.text.ClipTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pretraining recipe end to end at a few steps: a diffusers folder that loads and samples, deterministically. */
class ShapesSdRecipeTest {
    @TempDir
    Path tmp;

    /** Squares of one of two colours on white, captioned accordingly. */
    static final class Squares implements CaptionedImages {
        @Override
        public Example next(SplittableRandom r) {
            boolean red = r.nextBoolean();
            float[] img = new float[3 * 64 * 64];
            java.util.Arrays.fill(img, 1f);
            int x0 = r.nextInt(40);
            int y0 = r.nextInt(40);
            for (int y = y0; y < y0 + 20; y++) {
                for (int x = x0; x < x0 + 20; x++) {
                    img[(red ? 1 : 0) * 4096 + y * 64 + x] = 0f;
                    img[2 * 4096 + y * 64 + x] = 0f;
                }
            }
            return new Example(img, red ? "a red square" : "a green square");
        }

        @Override
        public int size() {
            return 64;
        }

        @Override
        public List<String> vocabulary() {
            return List.of("a", "red", "green", "square");
        }
    }

    private Path pretrain(String name) {
        return pretrain(name, false);
    }

    private Path pretrain(String name, boolean zeroSnr) {
        return pretrain(name, zeroSnr, 7, null);
    }

    private Path pretrain(String name, boolean zeroSnr, long seed, Path unetInit) {
        Path out = tmp.resolve(name);
        ShapesSdRecipe.Settings s = new ShapesSdRecipe.Settings(seed, Architecture.V1, RecipePreset.scheduler(zeroSnr), new VaeTraining.Settings(3, 2, 1e-3, 1e-4, seed),
                new DenoiserTraining.Settings(16, 3, 4, 5e-4, 0, 0.1, seed, 0), new VaeTraining.Settings(2, 2, 1e-3, 1e-4, 12), unetInit);
        ShapesSdRecipe.pretrain(new Squares(), s, out, Map.of("ddpo4j.test", "yes"), null,
                ShapesSdRecipe.Checkpointing.NONE);
        return out;
    }

    @Test
    void writesALoadableDeterministicFloat16Folder() throws Exception {
        Path a = pretrain("a");
        for (String f : List.of("model_index.json", "scheduler/scheduler_config.json", "unet/config.json",
                "vae/config.json", "text_encoder/config.json", "tokenizer/vocab.json", "tokenizer/merges.txt")) {
            assertTrue(Files.isRegularFile(a.resolve(f)), f);
        }
        try (SafetensorsReader r = SafetensorsReader.open(a.resolve("unet/diffusion_pytorch_model.safetensors"))) {
            assertEquals(SafeDType.F16, r.info("conv_in.weight").dtype());
            assertEquals("yes", r.metadata().get("ddpo4j.test"));
        }
        ClipTokenizer tok = ClipTokenizer.load(a.resolve("tokenizer"));
        assertEquals(List.of("a</w>", "red</w>", "square</w>"), tok.tokenize("a red square"));
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(a); NDManager m = NDManager.newBaseManager()) {
            assertEquals(64, pipe.defaultImageSize());
            Trajectory t = pipe.sample(List.of("a red square"), new SamplingOptions(3, 5, 1, 0, 0),
                    new SeededNoise(1, new long[] {0}), m, null);
            assertArrayEquals(new long[] {1, 3, 64, 64}, t.images().getShape().getShape());
        }
        Path b = pretrain("b");
        // Bitwise equal on our machines; a CI machine once differed in one f16 rounding (a last-bit
        // difference inside libtorch's kernels), so the check is "equal to f16 precision".
        assertEquals(0.0, maxAbsDifference(a.resolve("unet/diffusion_pytorch_model.safetensors"),
                b.resolve("unet/diffusion_pytorch_model.safetensors")), 5e-3, "same seed, same weights");
    }

    @Test
    void aZeroTerminalSnrRecipeWritesAVPredictionModelThatSamples() throws Exception {
        Path a = pretrain("zero", true);
        String scheduler = Files.readString(a.resolve("scheduler/scheduler_config.json"));
        assertTrue(scheduler.contains("\"rescale_betas_zero_snr\" : true") && scheduler.contains("v_prediction")
                && scheduler.contains("trailing"), scheduler);
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(a); NDManager m = NDManager.newBaseManager()) {
            Trajectory t = pipe.sample(List.of("a red square"), new SamplingOptions(3, 5, 1, 0, 0),
                    new SeededNoise(1, new long[] {0}), m, null);
            for (float f : t.images().toFloatArray()) {
                assertTrue(Float.isFinite(f), "image value " + f);
            }
        }
        String plain = Files.readString(pretrain("plain").resolve("scheduler/scheduler_config.json"));
        assertFalse(plain.contains("rescale_betas_zero_snr"), "SD's schedule file as before: " + plain);
    }

    @Test
    void unetInitFineTunesAnotherFoldersUNetAndRefusesAnotherLatentSpace() {
        Path base = pretrain("base");
        // Three steps of lr 5e-4 from the base: AdamW moves a weight by at most ~lr a step.
        Path tuned = pretrain("tuned", true, 7, base);
        double moved = maxAbsDifference(base.resolve("unet/diffusion_pytorch_model.safetensors"),
                tuned.resolve("unet/diffusion_pytorch_model.safetensors"));
        assertTrue(moved > 0 && moved < 5e-3, "fine-tuned weights stay next to the base's: " + moved);
        double textMoved = maxAbsDifference(base.resolve("text_encoder/model.safetensors"),
                tuned.resolve("text_encoder/model.safetensors"));
        assertTrue(textMoved < 5e-3, "text encoder too: " + textMoved);
        Path other = pretrain("other-vae", false, 8, null);
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> pretrain("mismatch", false, 7, other));
        assertTrue(e.getMessage().contains("vae/config.json") && e.getMessage().contains(other.toString()), e.getMessage());
    }

    static double maxAbsDifference(Path x, Path y) {
        double max = 0;
        try (SafetensorsReader rx = SafetensorsReader.open(x); SafetensorsReader ry = SafetensorsReader.open(y);
                NDManager m = NDManager.newBaseManager()) {
            assertEquals(rx.keys(), ry.keys());
            for (String k : rx.keys()) {
                float[] u = rx.load(k, m).toFloatArray();
                float[] v = ry.load(k, m).toFloatArray();
                assertEquals(u.length, v.length, k);
                for (int i = 0; i < u.length; i++) {
                    max = Math.max(max, Math.abs(u[i] - v[i]));
                }
            }
        }
        return max;
    }

    @Test
    void bpeLearnsWholeWords() {
        List<String> merges = BpeVocabularyBuilder.learn(List.of("red", "green", "circle", "circles"));
        assertTrue(merges.size() >= 5);
        Path dir = tmp.resolve("tok");
        BpeVocabularyBuilder.write(dir, List.of("red", "green", "circle", "circles", "three"));
        ClipTokenizer t = ClipTokenizer.load(dir);
        assertEquals(List.of("three</w>", "green</w>", "circles</w>"), t.tokenize("Three green circles"));
        assertEquals(List.of("b", "l", "u", "e</w>"), t.tokenize("blue")); // unseen words fall back to bytes
    }
}
