package ddpo4j.models.unet;

import ddpo4j.Ddpo4jException;
import ddpo4j.io.ConfigJson;
import ddpo4j.io.ConfigJson.IntRange;
import ddpo4j.nn.ActivationFunction;
import java.nio.file.Path;
import java.util.List;

/**
 * The architecture of a {@link UNet2DConditionModel}, read from a diffusers {@code unet/config.json}.
 * Keys we do not implement must hold the value under which the architecture is the one we build.
 *
 * @param attentionHeads heads per block: diffusers' {@code attention_head_dim}, which despite its
 *     name is a head count (an int for all blocks or one per block)
 */
public record UNet2DConditionConfig(
        int inChannels,
        int outChannels,
        boolean centerInputSample,
        boolean flipSinToCos,
        double freqShift,
        List<String> downBlockTypes,
        String midBlockType,
        List<String> upBlockTypes,
        int[] blockOutChannels,
        int[] layersPerBlock,
        int downsamplePadding,
        double midBlockScaleFactor,
        ActivationFunction actFn,
        int normNumGroups,
        double normEps,
        int crossAttentionDim,
        int[] attentionHeads,
        boolean useLinearProjection,
        boolean upcastAttention,
        int sampleSize) {

    public static final List<String> DOWN_TYPES = List.of("DownBlock2D", "CrossAttnDownBlock2D");
    public static final List<String> UP_TYPES = List.of("UpBlock2D", "CrossAttnUpBlock2D");

    /** Latent side lengths: times the VAE's scale factor (at most 2^7) the image side stays an int. */
    static final IntRange SAMPLE_SIZE = new IntRange(1, 1 << 16);

    public static UNet2DConditionConfig read(Path file) {
        ConfigJson c = ConfigJson.read(file);
        List<String> down = c.requiredStrings("down_block_types");
        List<String> up = c.requiredStrings("up_block_types");
        int[] channels = c.blockOutChannels();
        int n = channels.length;
        checkTypes(file, "down_block_types", down, DOWN_TYPES, n);
        checkTypes(file, "up_block_types", up, UP_TYPES, n);
        String mid = c.choice("mid_block_type", "UNetMidBlock2DCrossAttn", "UNetMidBlock2DCrossAttn");
        int[] layers = c.intsOrScalar("layers_per_block", n, 2, IntRange.REPEATS);
        int[] heads = c.intsOrScalar("attention_head_dim", n, 8, IntRange.SIZE);
        checkLength(file, "layers_per_block", layers, n);
        checkLength(file, "attention_head_dim", heads, n);
        ActivationFunction act = ActivationFunction.fromConfig(
                c.choice("act_fn", "silu", ActivationFunction.configNames()));
        int groups = c.intValue("norm_num_groups", 32, IntRange.SIZE);
        // GroupNorm splits every block's channels, and the concatenations the up blocks see, into groups.
        c.checkDividesAll("norm_num_groups", groups, "block_out_channels", channels);
        checkHeads(c, heads, channels, down, up);
        UNet2DConditionConfig cfg = new UNet2DConditionConfig(
                c.intValue("in_channels", 4, IntRange.SIZE),
                c.intValue("out_channels", 4, IntRange.SIZE),
                c.boolValue("center_input_sample", false),
                c.boolValue("flip_sin_to_cos", true),
                c.doubleValue("freq_shift", 0),
                down, mid, up, channels, layers,
                c.intValue("downsample_padding", 1, IntRange.NON_NEGATIVE),
                c.doubleValue("mid_block_scale_factor", 1),
                act,
                groups,
                c.doubleValue("norm_eps", 1e-5),
                c.requiredInt("cross_attention_dim", IntRange.SIZE),
                heads,
                c.boolValue("use_linear_projection", false),
                c.boolValue("upcast_attention", false),
                c.intValue("sample_size", 64, SAMPLE_SIZE));
        // Features of later diffusers versions or other model families that we do not build.
        c.requireDefault("only_cross_attention", false);
        c.requireDefault("dual_cross_attention", false);
        c.requireDefault("class_embed_type", null);
        c.requireDefault("num_class_embeds", null);
        c.requireDefault("addition_embed_type", null);
        c.requireDefault("encoder_hid_dim", null);
        c.requireDefault("encoder_hid_dim_type", null);
        c.requireDefault("time_cond_proj_dim", null);
        c.requireDefault("time_embedding_type", "positional");
        c.requireDefault("time_embedding_dim", null);
        c.requireDefault("time_embedding_act_fn", null);
        c.requireDefault("timestep_post_act", null);
        c.requireDefault("projection_class_embeddings_input_dim", null);
        c.requireDefault("class_embeddings_concat", false);
        c.requireDefault("mid_block_only_cross_attention", null);
        c.requireDefault("cross_attention_norm", null);
        c.requireDefault("resnet_time_scale_shift", "default");
        c.requireDefault("resnet_skip_time_act", false);
        c.requireDefault("resnet_out_scale_factor", 1.0);
        c.requireDefault("conv_in_kernel", 3);
        c.requireDefault("conv_out_kernel", 3);
        c.requireDefault("num_attention_heads", null);
        c.requireDefault("transformer_layers_per_block", 1);
        c.requireDefault("reverse_transformer_layers_per_block", null);
        c.requireDefault("attention_type", "default");
        c.requireDefault("addition_time_embed_dim", null);
        // Only meaningful with addition_embed_type / at training time.
        c.ignore("addition_embed_type_num_heads", "dropout");
        c.checkNoUnknownKeys();
        return cfg;
    }

    private static void checkTypes(Path file, String key, List<String> types, List<String> allowed, int n) {
        for (String t : types) {
            if (!allowed.contains(t)) {
                throw new Ddpo4jException("config " + file + ": unknown block type \"" + t + "\" in " + key
                        + " (supported: " + String.join(", ", allowed) + ")");
            }
        }
        if (types.size() != n) {
            throw new Ddpo4jException("config " + file + ": " + key + " has " + types.size()
                    + " entries but block_out_channels has " + n);
        }
    }

    /** Each attention block splits its channels into heads: the mid block and every cross-attention block. */
    private static void checkHeads(ConfigJson c, int[] heads, int[] channels, List<String> down, List<String> up) {
        int n = channels.length;
        for (int i = 0; i < n; i++) {
            // Down block i and up block n-1-i both work at resolution level i.
            boolean attends = down.get(i).startsWith("CrossAttn") || up.get(n - 1 - i).startsWith("CrossAttn")
                    || i == n - 1;
            if (attends && channels[i] % heads[i] != 0) {
                throw c.error("attention_head_dim (the head count) " + heads[i] + " does not divide the "
                        + channels[i] + " channels of block " + i);
            }
        }
    }

    private static void checkLength(Path file, String key, int[] values, int n) {
        if (values.length != n) {
            throw new Ddpo4jException("config " + file + ": " + key + " has " + values.length
                    + " entries but block_out_channels has " + n);
        }
    }
}
