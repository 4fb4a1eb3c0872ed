package ddpo4j.models.clip;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.LayerNorm;
import ddpo4j.nn.Module;

/**
 * transformers' {@code CLIPVisionTransformer}: embeddings, {@code pre_layrnorm} (sic, the
 * checkpoint key), an unmasked encoder, and {@code post_layernorm} on the class token.
 */
public final class CLIPVisionTransformer extends Module {
    private final CLIPVisionEmbeddings embeddings;
    private final LayerNorm preLayrnorm;
    private final CLIPEncoder encoder;
    private final LayerNorm postLayernorm;

    public CLIPVisionTransformer(CLIPVisionConfig config) {
        this.embeddings = child("embeddings", new CLIPVisionEmbeddings(config));
        this.preLayrnorm = child("pre_layrnorm", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
        this.encoder = child("encoder", new CLIPEncoder(config));
        this.postLayernorm = child("post_layernorm", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
    }

    /** @param pixels (B, C, S, S); returns the pooled output (B, hidden): post-layer-normed class token */
    public NDArray forward(NDArray pixels) {
        NDArray h = encoder.forward(preLayrnorm.forward(embeddings.forward(pixels)), null); // (B, 1 + g², hidden)
        return postLayernorm.forward(h.get(":, 0, :")); // (B, hidden)
    }
}
