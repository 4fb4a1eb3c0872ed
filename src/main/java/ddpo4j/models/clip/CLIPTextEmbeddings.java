package ddpo4j.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ddpo4j.nn.Embedding;
import ddpo4j.nn.Module;

/** transformers' {@code CLIPTextEmbeddings}: token embedding plus learned absolute position embedding. */
public final class CLIPTextEmbeddings extends Module {
    private final Embedding tokenEmbedding;
    private final Embedding positionEmbedding;

    public CLIPTextEmbeddings(CLIPTextConfig config) {
        this.tokenEmbedding = child("token_embedding", new Embedding(config.vocabSize(), config.hiddenSize()));
        this.positionEmbedding = child("position_embedding",
                new Embedding(config.maxPositionEmbeddings(), config.hiddenSize()));
        optionalBuffer("position_ids", 1, config.maxPositionEmbeddings());
    }

    /** @param ids (B, L) int64 token ids; returns (B, L, hidden) */
    public NDArray forward(NDArray ids) {
        long length = ids.getShape().get(1);
        NDArray positions = ids.getManager().arange(0, (int) length, 1, DataType.INT64).expandDims(0); // (1, L)
        return tokenEmbedding.forward(ids).add(positionEmbedding.forward(positions));
    }
}
