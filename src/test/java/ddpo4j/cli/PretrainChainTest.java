package ddpo4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.pretrain.Architecture;
import ddpo4j.pretrain.RecipeChain;
import ddpo4j.pretrain.RecipePreset;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pretrain --chain}: every stage's model is the next one's --unet-init; a rerun redoes nothing. */
@Tag("slow")
class PretrainChainTest {
    @TempDir
    Path tmp;

    private static final Architecture TINY = new Architecture(List.of(32, 32, 32), List.of(32, 64),
            List.of(false, true), 1, 32, 1);

    /** A v2-shaped recipe at toy size: 3 VAE steps, UNet steps with a cool-down over the last 2. */
    private static RecipePreset tiny(String name, int unetSteps, double lr) {
        return new RecipePreset(name, TINY, 1, 32, 3, 2, 1e-3, 1e-4, 16, unetSteps, 4, lr, 2, 0.1, 2, 0.9, true);
    }

    private int pretrain(StringWriter err, String... args) {
        Function<RecipePreset, List<RecipeChain.Stage>> saved = PretrainCommand.chains;
        PretrainCommand.chains = p -> List.of(new RecipeChain.Stage(tiny("first", 8, 1e-3), 5),
                new RecipeChain.Stage(tiny("second", 3, 5e-4), 0));
        try {
            return Main.run(new PrintWriter(err, true), args);
        } finally {
            PretrainCommand.chains = saved;
        }
    }

    @Test
    void eachStageStartsFromTheLastAndARerunWritesTheSameModel() throws Exception {
        Path work = tmp.resolve("work");
        Path out = tmp.resolve("model");
        String[] args = {"pretrain", "--recipe", "v7", "--chain", "--checkpoint-dir", work.toString(), "--out",
            out.toString(), "--seed", "1"};
        StringWriter err = new StringWriter();
        assertEquals(0, pretrain(err, args), "stderr: " + err);
        Path first = work.resolve("first-5");
        assertTrue(Files.isRegularFile(first.resolve("unet/diffusion_pytorch_model.safetensors")), "stage 1's model");
        assertTrue(Files.isRegularFile(work.resolve("first-5-checkpoints/denoiser.safetensors")));
        assertTrue(Files.isRegularFile(work.resolve("second-checkpoints/denoiser.safetensors")));
        String card = Files.readString(out.resolve("README.md"));
        assertTrue(card.contains("--chain --checkpoint-dir " + work), card);
        assertTrue(card.contains("starting from " + first), "the last stage starts from stage 1's model: " + card);
        String firstCard = Files.readString(first.resolve("README.md"));
        assertTrue(firstCard.contains("--unet-stop-at 5"), firstCard);
        // the stages share the VAE: the second reuses the first's finished VAE checkpoints
        for (String f : List.of("vae.safetensors", "decoder.safetensors")) {
            assertArrayEquals(Files.readAllBytes(work.resolve("first-5-checkpoints").resolve(f)),
                    Files.readAllBytes(work.resolve("second-checkpoints").resolve(f)), f);
        }
        byte[] unet = Files.readAllBytes(out.resolve("unet/diffusion_pytorch_model.safetensors"));
        assertTrue(!java.util.Arrays.equals(unet, Files.readAllBytes(first.resolve("unet/diffusion_pytorch_model.safetensors"))),
                "stage 2 trained on");
        // rerun: every stage is finished, so only the outputs are rewritten, with the same bytes
        assertEquals(0, pretrain(err, args), "stderr: " + err);
        assertArrayEquals(unet, Files.readAllBytes(out.resolve("unet/diffusion_pytorch_model.safetensors")));
    }

    @Test
    void aChainNeedsItsFolderAndMakesItsOwnInit() {
        StringWriter err = new StringWriter();
        assertEquals(2, pretrain(err, "pretrain", "--recipe", "v7", "--chain", "--out", tmp.resolve("m").toString()));
        assertTrue(err.toString().contains("--chain needs --checkpoint-dir"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(2, pretrain(err2, "pretrain", "--recipe", "v7", "--chain", "--checkpoint-dir",
                tmp.resolve("w").toString(), "--unet-init", tmp.toString(), "--out", tmp.resolve("m").toString()));
        assertTrue(err2.toString().contains("drop --unet-init"), err2.toString());
    }

    @Test
    void theDefaultRecipeIsTheBundledOneAndWillNotStartFromRandomWeights() {
        // no --recipe: v7, which continues v6; without --chain or --unet-init it must not run at all
        StringWriter err = new StringWriter();
        Path out = tmp.resolve("fresh");
        assertEquals(2, pretrain(err, "pretrain", "--out", out.toString()));
        assertTrue(err.toString().contains("--recipe v7 continues earlier stages: add --chain"), err.toString());
        assertFalse(Files.exists(out), "nothing written");
    }
}
