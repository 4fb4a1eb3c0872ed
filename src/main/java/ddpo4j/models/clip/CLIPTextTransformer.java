package ddpo4j.models.clip;

import ddpo4j.tensor.HostArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ddpo4j.nn.LayerNorm;
import ddpo4j.nn.Module;

/** transformers' {@code CLIPTextTransformer}: embeddings, causal encoder layers, final layer norm. */
public final class CLIPTextTransformer extends Module {
    private final CLIPTextEmbeddings embeddings;
    private final CLIPEncoder encoder;
    private final LayerNorm finalLayerNorm;

    public CLIPTextTransformer(CLIPTextConfig config) {
        this.embeddings = child("embeddings", new CLIPTextEmbeddings(config));
        this.encoder = child("encoder", new CLIPEncoder(config));
        this.finalLayerNorm = child("final_layer_norm", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
    }

    /** @param ids (B, L) int64; returns the last hidden state (B, L, hidden) after the final layer norm */
    public NDArray forward(NDArray ids) {
        int length = (int) ids.getShape().get(1);
        NDArray h = embeddings.forward(ids);
        NDArray mask = HostArrays.floats(ids.getManager(), causalMask(length), new Shape(length, length));
        return finalLayerNorm.forward(encoder.forward(h, mask));
    }

    /** Additive mask: 0 on and below the diagonal, -inf above, so token i attends to tokens up to i. */
    private static float[] causalMask(int length) {
        float[] mask = new float[length * length];
        for (int i = 0; i < length; i++) {
            for (int j = i + 1; j < length; j++) {
                mask[i * length + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return mask;
    }
}
