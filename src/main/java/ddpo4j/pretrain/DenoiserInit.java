package ddpo4j.pretrain;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.ComponentWeights;
import ddpo4j.models.clip.CLIPTextModel;
import ddpo4j.models.unet.UNet2DConditionModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;

/**
 * Starts the denoiser phase from another model folder's UNet and text encoder instead of random
 * weights: a fine-tune, as Lin et al. (2024) moved Stable Diffusion 2.1 to a zero-terminal-SNR
 * schedule. The folder must speak the same latent space and the same tokens, so its VAE config
 * (whose measured scaling factor fingerprints the VAE) and its tokenizer must equal this run's.
 * Numbers compare to a relative 1e-6: the same VAE encodes the dataset to a scaling factor that
 * differs in its tenth digit at another thread count (float sums in another order).
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

    /** Equal numbers up to {@link #RELATIVE}; other nodes by value. */
    private static final double RELATIVE = 1e-6;
    private static final Comparator<JsonNode> CLOSE = (x, y) -> {
        if (x.isNumber() && y.isNumber()) {
            double a = x.doubleValue();
            double b = y.doubleValue();
            return Math.abs(a - b) <= RELATIVE * Math.max(Math.abs(a), Math.abs(b)) ? 0 : 1;
        }
        return x.equals(y) ? 0 : 1;
    };

    static boolean sameJson(JsonNode a, JsonNode b) {
        return a.equals(CLOSE, b);
    }

    /** The two files hold the same JSON (same keys and values up to {@link #RELATIVE}; formatting aside). */
    private static void sameFile(Path from, Path out, String name, String meaning) {
        Path a = from.resolve(name);
        Path b = out.resolve(name);
        try {
            if (!Files.isRegularFile(a)) {
                throw new Ddpo4jException("--unet-init " + from + " has no " + name);
            }
            if (!sameJson(JSON.readTree(a.toFile()), JSON.readTree(b.toFile()))) {
                throw new Ddpo4jException("--unet-init " + from + ": its " + name + " differs from this run's " + b
                        + ": " + meaning);
            }
        } catch (IOException e) {
            throw new Ddpo4jException("cannot read " + a + " or " + b + ": " + e.getMessage(), e);
        }
    }
}
