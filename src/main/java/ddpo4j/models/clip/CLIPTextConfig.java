package ddpo4j.models.clip;

import ddpo4j.io.ConfigJson;
import ddpo4j.io.ConfigJson.IntRange;
import ddpo4j.nn.ActivationFunction;
import java.nio.file.Path;

/** The architecture of a {@link CLIPTextModel}, read from a transformers {@code text_encoder/config.json}. */
public record CLIPTextConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int maxPositionEmbeddings,
        ActivationFunction hiddenAct,
        double layerNormEps) implements CLIPEncoderConfig {

    public static CLIPTextConfig read(Path file) {
        ConfigJson c = ConfigJson.read(file);
        c.choice("model_type", "clip_text_model", "clip_text_model");
        int hidden = c.requiredInt("hidden_size", IntRange.SIZE);
        int heads = c.requiredInt("num_attention_heads", IntRange.SIZE);
        checkHeads(c, hidden, heads);
        CLIPTextConfig cfg = new CLIPTextConfig(
                c.requiredInt("vocab_size", IntRange.SIZE),
                hidden,
                c.requiredInt("intermediate_size", IntRange.SIZE),
                c.requiredInt("num_hidden_layers", IntRange.REPEATS),
                heads,
                c.intValue("max_position_embeddings", 77, IntRange.SIZE),
                ActivationFunction.fromConfig(c.choice("hidden_act", "quick_gelu", ActivationFunction.configNames())),
                c.doubleValue("layer_norm_eps", 1e-5));
        // Token ids, dropout (inactive at inference and in DDPO training), init ranges and provenance.
        c.ignore("bos_token_id", "eos_token_id", "pad_token_id", "attention_dropout", "dropout",
                "initializer_factor", "initializer_range", "projection_dim", "architectures", "torch_dtype",
                "transformers_version");
        c.checkNoUnknownKeys();
        return cfg;
    }

    /** Attention splits the hidden size into heads of equal width. */
    static void checkHeads(ConfigJson c, int hidden, int heads) {
        if (hidden % heads != 0) {
            throw c.error("hidden_size " + hidden + " is not divisible by num_attention_heads " + heads);
        }
    }
}
