package ddpo4j.models.vae;

import ai.djl.ndarray.NDArray;
import ddpo4j.models.common.ResnetSpec;
import ddpo4j.nn.Conv2d;
import ddpo4j.nn.Module;
import ddpo4j.tensor.Scalars;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** diffusers' {@code AutoencoderKL}: the Stable Diffusion VAE mapping images to latents and back. */
public final class AutoencoderKL extends Module {
    private static final Pattern OLD_ATTENTION = Pattern.compile(
            "^(.*mid_block\\.attentions\\.\\d+\\.)(query|key|value|proj_attn)\\.(weight|bias)$");

    private final AutoencoderKLConfig config;
    private final Encoder encoder;
    private final Decoder decoder;
    private final Conv2d quantConv;
    private final Conv2d postQuantConv;

    public AutoencoderKL(AutoencoderKLConfig config) {
        this.config = config;
        ResnetSpec resnet = new ResnetSpec(0, config.normNumGroups(), 1e-6, config.actFn());
        this.encoder = child("encoder", new Encoder(config, resnet));
        this.decoder = child("decoder", new Decoder(config, resnet));
        int latent = config.latentChannels();
        this.quantConv = child("quant_conv", Conv2d.same(2L * latent, 2L * latent, 1));
        this.postQuantConv = child("post_quant_conv", Conv2d.same(latent, latent, 1));
    }

    public AutoencoderKLConfig config() {
        return config;
    }

    /** The decoder and the post-quantization convolution: what maps latents to images. */
    public List<NDArray> decoderParameters() {
        List<NDArray> out = new ArrayList<>(List.of(decoder.parameterValues()));
        out.addAll(List.of(postQuantConv.parameterValues()));
        return out;
    }

    /** Spatial factor between image and latents (8 for Stable Diffusion). */
    public int scaleFactor() {
        return 1 << (config.blockOutChannels().length - 1);
    }

    /** Decodes unscaled latents (already divided by the scaling factor) to an image in about [-1, 1]. */
    public NDArray decode(NDArray z) {
        return decoder.forward(postQuantConv.forward(z));
    }

    /** Encodes an image in [-1, 1] to the latent Gaussian (unscaled: multiply samples by the scaling factor). */
    public LatentDistribution encode(NDArray image) {
        NDArray moments = quantConv.forward(encoder.forward(image)); // (B, 2*latent, h, w)
        long latent = config.latentChannels();
        NDArray mean = moments.get(":, :" + latent);
        NDArray logvar = Scalars.clip(moments.get(":, " + latent + ":"), -30.0, 20.0); // differentiable in pretraining
        return new LatentDistribution(mean, logvar);
    }

    /**
     * Maps a checkpoint key to our name: checkpoints written before diffusers 0.18 name the mid-block
     * attention {@code query/key/value/proj_attn}; newer ones {@code to_q/to_k/to_v/to_out.0}.
     */
    public static String canonicalKey(String key) {
        Matcher m = OLD_ATTENTION.matcher(key);
        if (!m.matches()) {
            return key;
        }
        String name = switch (m.group(2)) {
            case "query" -> "to_q";
            case "key" -> "to_k";
            case "value" -> "to_v";
            default -> "to_out.0";
        };
        return m.group(1) + name + "." + m.group(3);
    }
}
