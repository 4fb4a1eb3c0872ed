package ddpo4j.models.clip;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.LayerNorm;
import ddpo4j.nn.Module;
import ddpo4j.tensor.LocalScope;

/** transformers' {@code CLIPEncoderLayer}: pre-norm self-attention and MLP, each residual. */
public final class CLIPEncoderLayer extends Module {
    private final CLIPAttention selfAttn;
    private final LayerNorm layerNorm1;
    private final CLIPMLP mlp;
    private final LayerNorm layerNorm2;

    public CLIPEncoderLayer(CLIPEncoderConfig config) {
        this.selfAttn = child("self_attn", new CLIPAttention(config.hiddenSize(), config.numAttentionHeads()));
        this.layerNorm1 = child("layer_norm1", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
        this.mlp = child("mlp", new CLIPMLP(config.hiddenSize(), config.intermediateSize(), config.hiddenAct()));
        this.layerNorm2 = child("layer_norm2", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
    }

    /** @param x (B, L, hidden); @param mask (L, L) additive mask, or null (the vision tower) */
    public NDArray forward(NDArray x, NDArray mask) {
        try (LocalScope scope = LocalScope.of(x, mask)) {
            NDArray h = x.add(selfAttn.forward(layerNorm1.forward(x), mask));
            return scope.keep(h.add(mlp.forward(layerNorm2.forward(h))));
        }
    }
}
