package ddpo4j.models.vae;

import ddpo4j.Ddpo4jException;
import ddpo4j.io.ConfigJson;
import ddpo4j.io.ConfigJson.IntRange;
import ddpo4j.nn.ActivationFunction;
import java.nio.file.Path;
import java.util.List;

/** The architecture of an {@link AutoencoderKL}, read from a diffusers {@code vae/config.json}. */
public record AutoencoderKLConfig(
        int inChannels,
        int outChannels,
        int[] blockOutChannels,
        int layersPerBlock,
        ActivationFunction actFn,
        int latentChannels,
        int normNumGroups,
        int sampleSize,
        double scalingFactor) {

    public static AutoencoderKLConfig read(Path file) {
        ConfigJson c = ConfigJson.read(file);
        int[] channels = c.blockOutChannels();
        checkTypes(c, "down_block_types", "DownEncoderBlock2D", channels.length);
        checkTypes(c, "up_block_types", "UpDecoderBlock2D", channels.length);
        int groups = c.intValue("norm_num_groups", 32, IntRange.SIZE);
        c.checkDividesAll("norm_num_groups", groups, "block_out_channels", channels);
        AutoencoderKLConfig cfg = new AutoencoderKLConfig(
                c.intValue("in_channels", 3, IntRange.SIZE),
                c.intValue("out_channels", 3, IntRange.SIZE),
                channels,
                c.intValue("layers_per_block", 1, IntRange.REPEATS),
                ActivationFunction.fromConfig(c.choice("act_fn", "silu", ActivationFunction.configNames())),
                c.requiredInt("latent_channels", IntRange.SIZE),
                groups,
                c.intValue("sample_size", 32, IntRange.SIZE),
                c.doubleValue("scaling_factor", 0.18215));
        c.requireDefault("use_quant_conv", true);
        c.requireDefault("use_post_quant_conv", true);
        c.requireDefault("mid_block_add_attention", true);
        c.requireDefault("shift_factor", null);
        c.requireDefault("latents_mean", null);
        c.requireDefault("latents_std", null);
        c.ignore("force_upcast"); // a half-precision hint; we compute in float32 anyway
        c.checkNoUnknownKeys();
        return cfg;
    }

    private static void checkTypes(ConfigJson c, String key, String allowed, int n) {
        List<String> types = c.requiredStrings(key);
        for (String t : types) {
            if (!t.equals(allowed)) {
                throw new Ddpo4jException("config " + c.file() + ": unknown block type \"" + t + "\" in " + key
                        + " (supported: " + allowed + ")");
            }
        }
        if (types.size() != n) {
            throw new Ddpo4jException("config " + c.file() + ": " + key + " has " + types.size()
                    + " entries but block_out_channels has " + n);
        }
    }
}
