package ddpo4j.models.clip;

import ddpo4j.Ddpo4jException;
import ddpo4j.io.ConfigJson;
import ddpo4j.io.ConfigJson.IntRange;
import ddpo4j.nn.ActivationFunction;
import java.nio.file.Path;

/**
 * The architecture of a {@link CLIPVisionModelWithProjection}, read from a transformers
 * {@code config.json}: either a full {@code CLIPModel} config (its {@code vision_config} section
 * and top-level {@code projection_dim}) or a standalone {@code CLIPVisionConfig}.
 */
public record CLIPVisionConfig(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numChannels,
        int imageSize,
        int patchSize,
        ActivationFunction hiddenAct,
        double layerNormEps,
        int projectionDim) implements CLIPEncoderConfig {

    /**
     * Keys every transformers {@code PretrainedConfig} serializes (generation settings, labels,
     * token ids, dtype, provenance) and the dropout/init settings: none changes an inference forward.
     */
    private static final String[] HARMLESS_KEYS = {
        "add_cross_attention", "architectures", "attention_dropout", "bad_words_ids", "begin_suppress_tokens",
        "bos_token_id", "chunk_size_feed_forward", "cross_attention_hidden_size", "decoder_start_token_id",
        "diversity_penalty", "do_sample", "dropout", "early_stopping", "encoder_no_repeat_ngram_size",
        "eos_token_id", "exponential_decay_length_penalty", "finetuning_task", "forced_bos_token_id",
        "forced_decoder_ids", "forced_eos_token_id", "id2label", "initializer_factor", "initializer_range",
        "is_decoder", "is_encoder_decoder", "label2id", "length_penalty", "max_length", "min_length",
        "no_repeat_ngram_size", "num_beam_groups", "num_beams", "num_return_sequences", "output_attentions",
        "output_hidden_states", "output_scores", "pad_token_id", "prefix", "problem_type", "pruned_heads",
        "remove_invalid_values", "repetition_penalty", "return_dict", "return_dict_in_generate", "sep_token_id",
        "suppress_tokens", "task_specific_params", "temperature", "tf_legacy_loss", "tie_encoder_decoder",
        "tie_word_embeddings", "tokenizer_class", "top_k", "top_p", "torch_dtype", "dtype", "torchscript",
        "transformers_version", "typical_p", "use_bfloat16",
    };

    public CLIPVisionConfig {
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not divisible by num_attention_heads "
                    + numAttentionHeads);
        }
        if (patchSize <= 0 || imageSize < patchSize) {
            throw new IllegalArgumentException("image_size " + imageSize + " and patch_size " + patchSize
                    + " give no patch");
        }
    }

    /** Patches per side; the conv with stride {@code patch_size} floors, as in transformers. */
    public int gridSize() {
        return imageSize / patchSize;
    }

    /** Sequence length: the class token plus one token per patch. */
    public int numPositions() {
        return gridSize() * gridSize() + 1;
    }

    /**
     * Reads {@code file}. For a CLIPModel config the vision settings come from
     * {@code vision_config_dict} when present (as transformers does: its values, with
     * CLIPVisionConfig defaults for the keys it lacks, replace {@code vision_config}), else from
     * {@code vision_config}; the projection size is the top-level {@code projection_dim}.
     */
    public static CLIPVisionConfig read(Path file) {
        ConfigJson root = ConfigJson.read(file);
        String modelType = root.choice("model_type", "clip_vision_model", "clip", "clip_vision_model");
        CLIPVisionConfig cfg;
        if (modelType.equals("clip")) {
            int projection = root.intValue("projection_dim", 512, IntRange.SIZE);
            ConfigJson vision = root.has("vision_config_dict") ? root.section("vision_config_dict")
                    : root.section("vision_config");
            if (vision == null) {
                throw new Ddpo4jException("config " + file + ": a CLIPModel config needs a \"vision_config\" section");
            }
            cfg = readVision(vision, projection);
            root.ignore("vision_config", "text_config", "text_config_dict", "logit_scale_init_value",
                    "initializer_factor", "architectures", "torch_dtype", "dtype", "transformers_version");
        } else {
            cfg = readVision(root, -1);
        }
        root.checkNoUnknownKeys();
        return cfg;
    }

    /** One vision section; {@code projection} overrides its {@code projection_dim} when not -1. */
    private static CLIPVisionConfig readVision(ConfigJson c, int projection) {
        c.choice("model_type", "clip_vision_model", "clip_vision_model");
        int ownProjection = c.intValue("projection_dim", 512, IntRange.SIZE);
        int hidden = c.intValue("hidden_size", 768, IntRange.SIZE);
        int heads = c.intValue("num_attention_heads", 12, IntRange.SIZE);
        CLIPTextConfig.checkHeads(c, hidden, heads);
        int imageSize = c.intValue("image_size", 224, IntRange.SIZE);
        int patchSize = c.intValue("patch_size", 32, IntRange.SIZE);
        if (patchSize > imageSize) {
            throw c.error("patch_size " + patchSize + " is larger than image_size " + imageSize + ": no patch");
        }
        long grid = imageSize / patchSize;
        if (grid * grid + 1 > Integer.MAX_VALUE) {
            throw c.error("image_size " + imageSize + " / patch_size " + patchSize + " gives " + grid * grid
                    + " patches, more positions than an embedding can hold");
        }
        CLIPVisionConfig cfg = new CLIPVisionConfig(
                hidden,
                c.intValue("intermediate_size", 3072, IntRange.SIZE),
                c.intValue("num_hidden_layers", 12, IntRange.REPEATS),
                heads,
                c.intValue("num_channels", 3, IntRange.SIZE),
                imageSize,
                patchSize,
                ActivationFunction.fromConfig(c.choice("hidden_act", "quick_gelu", ActivationFunction.configNames())),
                c.doubleValue("layer_norm_eps", 1e-5),
                projection == -1 ? ownProjection : projection);
        c.ignore(HARMLESS_KEYS);
        c.checkNoUnknownKeys();
        return cfg;
    }
}
