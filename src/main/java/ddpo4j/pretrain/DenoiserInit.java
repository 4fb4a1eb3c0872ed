package ddpo4j.pretrain;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.ComponentWeights;
import ddpo4j.models.clip.CLIPTextModel;
import ddpo4j.models.unet.UNet2DConditionModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Starts the denoiser phase from another model folder's UNet and text encoder instead of random
 * weights: a fine-tune, as Lin et al. (2024) moved Stable Diffusion 2.1 to a zero-terminal-SNR
 * schedule. The folder must speak the same latent space and the same tokens, so its VAE config
 * (whose measured scaling factor fingerprints the VAE) and its tokenizer must equal this run's.
 */
final class DenoiserInit {
    private static final ObjectMapper JSON = new ObjectMapper();
    private DenoiserInit() {}

    /** Loads {@code from}'s weights into {@code unet} and {@code text}, after checking it matches the run in {@code out}. */
    static void load(Path from, Path out, UNet2DConditionModel unet, CLIPTextModel text, NDManager root) {
        if (!Files.isRegularFile(from.resolve("model_index.json"))) {
            throw new Ddpo4jException("--unet-init " + from + " is not a diffusers model folder (no model_index.json)");
        }
        sameFile(from, out, "vae/config.json", "a VAE other than this run's (the latents would not match)");
        sameFile(from, out, "tokenizer/vocab.json", "another tokenizer vocabulary");
        sameFile(from, out, "unet/config.json", "another UNet architecture");
        sameFile(from, out, "text_encoder/config.json", "another text encoder architecture");
        ComponentWeights.load(unet, from.resolve("unet"), "diffusion_pytorch_model", root, UnaryOperator.identity());
        ComponentWeights.load(text, from.resolve("text_encoder"), "model", root, UnaryOperator.identity());
    }

    /** The two files hold the same JSON (same keys and values; formatting aside). */
    private static void sameFile(Path from, Path out, String name, String meaning) {
        Path a = from.resolve(name);
        Path b = out.resolve(name);
        try {
            if (!Files.isRegularFile(a)) {
                throw new Ddpo4jException("--unet-init " + from + " has no " + name);
            }
            if (!JSON.readTree(a.toFile()).equals(JSON.readTree(b.toFile()))) {
                throw new Ddpo4jException("--unet-init " + from + ": its " + name + " differs from this run's " + b
                        + ": " + meaning);
            }
        } catch (IOException e) {
            throw new Ddpo4jException("cannot read " + a + " or " + b + ": " + e.getMessage(), e);
        }
    }
}
