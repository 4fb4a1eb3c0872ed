package ddpo4j.pretrain;

import ddpo4j.Ddpo4jException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network sizes of a shapes-world model, and the diffusers/transformers {@code config.json}
 * maps they become. Same block types as Stable Diffusion at toy size.
 *
 * @param vaeChannels the VAE's {@code block_out_channels}: n levels downsample 2^(n-1) times
 * @param unetChannels the UNet's {@code block_out_channels}
 * @param unetAttention per UNet level, whether it has cross-attention (a CrossAttn block) or not
 * @param unetLayersPerBlock resnets per down block (up blocks get one more, as in diffusers)
 * @param textWidth CLIP hidden size, also the UNet's {@code cross_attention_dim}
 * @param textLayers CLIP transformer layers
 */
public record Architecture(List<Integer> vaeChannels, List<Integer> unetChannels, List<Boolean> unetAttention,
        int unetLayersPerBlock, int textWidth, int textLayers) {

    /** The bundled v1 model: 8x VAE (8x8x4 latents at 64x64), UNet 64/128 with attention at both levels. */
    public static final Architecture V1 = new Architecture(List.of(32, 64, 64, 64), List.of(64, 128),
            List.of(true, true), 1, 64, 2);

    public Architecture {
        vaeChannels = List.copyOf(vaeChannels);
        unetChannels = List.copyOf(unetChannels);
        unetAttention = List.copyOf(unetAttention);
        if (unetAttention.size() != unetChannels.size()) {
            throw new Ddpo4jException("one attention flag per UNet level: " + unetChannels + " vs " + unetAttention);
        }
        if (vaeChannels.size() < 2 || unetChannels.isEmpty() || textWidth % 4 != 0 || textLayers < 1) {
            throw new Ddpo4jException("bad architecture " + vaeChannels + " " + unetChannels + " text " + textWidth);
        }
    }

    /** How many times smaller the latents are than the image, per side. */
    public int vaeFactor() {
        return 1 << (vaeChannels.size() - 1);
    }

    Map<String, Object> vaeConfig(int imageSize, double scaling) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("_class_name", "AutoencoderKL");
        c.put("_diffusers_version", "0.17.1");
        c.put("act_fn", "silu");
        c.put("block_out_channels", vaeChannels);
        c.put("down_block_types", java.util.Collections.nCopies(vaeChannels.size(), "DownEncoderBlock2D"));
        c.put("in_channels", 3);
        c.put("latent_channels", 4);
        c.put("layers_per_block", 1);
        c.put("norm_num_groups", 16);
        c.put("out_channels", 3);
        c.put("sample_size", imageSize);
        c.put("scaling_factor", scaling);
        c.put("up_block_types", java.util.Collections.nCopies(vaeChannels.size(), "UpDecoderBlock2D"));
        return c;
    }

    Map<String, Object> unetConfig(int imageSize) {
        List<String> down = new ArrayList<>();
        List<String> up = new ArrayList<>();
        for (int i = 0; i < unetChannels.size(); i++) {
            down.add(unetAttention.get(i) ? "CrossAttnDownBlock2D" : "DownBlock2D");
            int mirrored = unetChannels.size() - 1 - i;
            up.add(unetAttention.get(mirrored) ? "CrossAttnUpBlock2D" : "UpBlock2D");
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("_class_name", "UNet2DConditionModel");
        c.put("_diffusers_version", "0.17.1");
        c.put("act_fn", "silu");
        c.put("attention_head_dim", 4);
        c.put("block_out_channels", unetChannels);
        c.put("center_input_sample", false);
        c.put("cross_attention_dim", textWidth);
        c.put("down_block_types", down);
        c.put("downsample_padding", 1);
        c.put("flip_sin_to_cos", true);
        c.put("freq_shift", 0);
        c.put("in_channels", 4);
        c.put("layers_per_block", unetLayersPerBlock);
        c.put("mid_block_scale_factor", 1);
        c.put("norm_eps", 1e-5);
        c.put("norm_num_groups", 32);
        c.put("out_channels", 4);
        c.put("sample_size", imageSize / vaeFactor());
        c.put("up_block_types", up);
        c.put("use_linear_projection", false);
        return c;
    }

    Map<String, Object> textConfig(int vocabSize) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of("CLIPTextModel"));
        c.put("attention_dropout", 0.0);
        c.put("bos_token_id", vocabSize - 2);
        c.put("eos_token_id", vocabSize - 1);
        c.put("hidden_act", "quick_gelu");
        c.put("hidden_size", textWidth);
        c.put("intermediate_size", 4 * textWidth);
        c.put("layer_norm_eps", 1e-5);
        c.put("max_position_embeddings", 77);
        c.put("model_type", "clip_text_model");
        c.put("num_attention_heads", 4);
        c.put("num_hidden_layers", textLayers);
        c.put("pad_token_id", vocabSize - 1);
        c.put("projection_dim", textWidth);
        c.put("torch_dtype", "float32");
        c.put("vocab_size", vocabSize);
        return c;
    }
}
