package ddpo4j.pretrain;

import ai.djl.ndarray.NDManager;
import ddpo4j.io.ComponentWeights;
import ddpo4j.io.JsonFile;
import ddpo4j.models.clip.CLIPTextConfig;
import ddpo4j.models.clip.CLIPTextModel;
import ddpo4j.models.unet.UNet2DConditionConfig;
import ddpo4j.models.unet.UNet2DConditionModel;
import ddpo4j.models.vae.AutoencoderKL;
import ddpo4j.models.vae.AutoencoderKLConfig;
import ddpo4j.schedulers.DDIMScheduler;
import ddpo4j.schedulers.DDIMSchedulerConfig;
import ddpo4j.text.ClipTokenizer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recipe of the bundled tiny model: Stable Diffusion's architecture at toy size (CLIP text
 * encoder, UNet2DConditionModel, AutoencoderKL with 8x downsampling and 4 latent channels),
 * trained from scratch in two phases (VAE, then text encoder + UNet) and written as a diffusers folder.
 */
public final class ShapesSdRecipe {
    /** Every knob of a pretraining run, recorded in the model card. */
    public record Settings(long seed, VaeTraining.Settings vae, DenoiserTraining.Settings denoiser,
            VaeTraining.Settings decoder) {}

    private ShapesSdRecipe() {}

    static Map<String, Object> vaeConfig(double scaling) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("_class_name", "AutoencoderKL");
        c.put("_diffusers_version", "0.17.1");
        c.put("act_fn", "silu");
        c.put("block_out_channels", List.of(32, 64, 64, 64));
        c.put("down_block_types", List.of("DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D",
                "DownEncoderBlock2D"));
        c.put("in_channels", 3);
        c.put("latent_channels", 4);
        c.put("layers_per_block", 1);
        c.put("norm_num_groups", 16);
        c.put("out_channels", 3);
        c.put("sample_size", 64);
        c.put("scaling_factor", scaling);
        c.put("up_block_types", List.of("UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D",
                "UpDecoderBlock2D"));
        return c;
    }

    static Map<String, Object> unetConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("_class_name", "UNet2DConditionModel");
        c.put("_diffusers_version", "0.17.1");
        c.put("act_fn", "silu");
        c.put("attention_head_dim", 4);
        c.put("block_out_channels", List.of(64, 128));
        c.put("center_input_sample", false);
        c.put("cross_attention_dim", 64);
        c.put("down_block_types", List.of("CrossAttnDownBlock2D", "CrossAttnDownBlock2D"));
        c.put("downsample_padding", 1);
        c.put("flip_sin_to_cos", true);
        c.put("freq_shift", 0);
        c.put("in_channels", 4);
        c.put("layers_per_block", 1);
        c.put("mid_block_scale_factor", 1);
        c.put("norm_eps", 1e-5);
        c.put("norm_num_groups", 32);
        c.put("out_channels", 4);
        c.put("sample_size", 8);
        c.put("up_block_types", List.of("CrossAttnUpBlock2D", "CrossAttnUpBlock2D"));
        c.put("use_linear_projection", false);
        return c;
    }

    static Map<String, Object> textConfig(int vocabSize) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of("CLIPTextModel"));
        c.put("attention_dropout", 0.0);
        c.put("bos_token_id", vocabSize - 2);
        c.put("eos_token_id", vocabSize - 1);
        c.put("hidden_act", "quick_gelu");
        c.put("hidden_size", 64);
        c.put("intermediate_size", 256);
        c.put("layer_norm_eps", 1e-5);
        c.put("max_position_embeddings", 77);
        c.put("model_type", "clip_text_model");
        c.put("num_attention_heads", 4);
        c.put("num_hidden_layers", 2);
        c.put("pad_token_id", vocabSize - 1);
        c.put("projection_dim", 64);
        c.put("torch_dtype", "float32");
        c.put("vocab_size", vocabSize);
        return c;
    }

    /** Runs both phases and writes the model folder {@code out}; the model card is written by the caller. */
    public static void pretrain(CaptionedImages data, Settings s, Path out, Map<String, String> provenance,
            TrainingLog log) {
        Path tok = out.resolve("tokenizer");
        BpeVocabularyBuilder.write(tok, data.vocabulary());
        ClipTokenizer tokenizer = ClipTokenizer.load(tok);
        ModelFolderWriter.writeModelIndex(out);
        ModelFolderWriter.writeScheduler(out);
        try (NDManager root = NDManager.newBaseManager()) {
            // Phase 1: the VAE (scaling factor measured afterwards, as for SD)
            JsonFile.write(out.resolve("vae/config.json"), vaeConfig(1.0));
            AutoencoderKL vae = new AutoencoderKL(AutoencoderKLConfig.read(out.resolve("vae/config.json")));
            Initializer.initialize(vae, root, s.seed() + 1);
            VaeTraining.train(vae, data, s.vae(), root, log);
            double scaling = VaeTraining.scalingFactor(vae, data, 256, s.seed() + 2, root);
            JsonFile.write(out.resolve("vae/config.json"), vaeConfig(scaling));
            ModelFolderWriter.writeWeights(out.resolve("vae/diffusion_pytorch_model.safetensors"), vae, provenance);
            // Reload through the float16 file so the denoiser learns on exactly the latents users will decode.
            AutoencoderKL frozen = new AutoencoderKL(AutoencoderKLConfig.read(out.resolve("vae/config.json")));
            ComponentWeights.load(frozen, out.resolve("vae"), "diffusion_pytorch_model", root,
                    AutoencoderKL::canonicalKey);

            // Phase 2: text encoder + UNet with the DDPM epsilon loss and caption dropout
            JsonFile.write(out.resolve("unet/config.json"), unetConfig());
            JsonFile.write(out.resolve("text_encoder/config.json"), textConfig(tokenizer.vocabSize()));
            UNet2DConditionModel unet = new UNet2DConditionModel(
                    UNet2DConditionConfig.read(out.resolve("unet/config.json")));
            CLIPTextModel text = new CLIPTextModel(CLIPTextConfig.read(out.resolve("text_encoder/config.json")));
            Initializer.initialize(unet, root, s.seed() + 3);
            Initializer.initialize(text, root, s.seed() + 4);
            DDIMScheduler schedule = new DDIMScheduler(DDIMSchedulerConfig.read(
                    out.resolve("scheduler/scheduler_config.json")));
            DenoiserTraining.train(unet, text, tokenizer, frozen, schedule, data, s.denoiser(), root, log);
            ModelFolderWriter.writeWeights(out.resolve("unet/diffusion_pytorch_model.safetensors"), unet, provenance);
            ModelFolderWriter.writeWeights(out.resolve("text_encoder/model.safetensors"), text, provenance);
        }
        refineDecoder(data, s, out, provenance, log);
    }

    /**
     * Phase 3: more training of the VAE decoder alone, on the encoder's latents, from the float16
     * phase-1 file: truer colours and sharper shapes, with the latent space the denoiser learned
     * unchanged. It reads only that file and the seed, so it can also run on its own (--only-decoder).
     */
    public static void refineDecoder(CaptionedImages data, Settings s, Path out, Map<String, String> provenance,
            TrainingLog log) {
        if (s.decoder().steps() == 0) {
            return;
        }
        try (NDManager root = NDManager.newBaseManager()) {
            AutoencoderKL vae = new AutoencoderKL(AutoencoderKLConfig.read(out.resolve("vae/config.json")));
            ComponentWeights.load(vae, out.resolve("vae"), "diffusion_pytorch_model", root,
                    AutoencoderKL::canonicalKey);
            VaeTraining.refineDecoder(vae, data, s.decoder(), root, log);
            ModelFolderWriter.writeWeights(out.resolve("vae/diffusion_pytorch_model.safetensors"), vae, provenance);
        }
    }
}
