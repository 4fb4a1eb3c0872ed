package ddpo4j.models.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ddpo4j.nn.Embedding;
import ddpo4j.nn.LayerNorm;
import ddpo4j.nn.Module;

/** transformers' {@code BertEmbeddings}: word + token type + absolute position, then LayerNorm. */
public final class BertEmbeddings extends Module {
    private final Embedding wordEmbeddings;
    private final Embedding positionEmbeddings;
    private final Embedding tokenTypeEmbeddings;
    private final LayerNorm layerNorm;

    public BertEmbeddings(BertConfig c) {
        this.wordEmbeddings = child("word_embeddings", new Embedding(c.vocabSize(), c.hiddenSize()));
        this.positionEmbeddings = child("position_embeddings", new Embedding(c.maxPositionEmbeddings(), c.hiddenSize()));
        this.tokenTypeEmbeddings = child("token_type_embeddings", new Embedding(c.typeVocabSize(), c.hiddenSize()));
        this.layerNorm = child("LayerNorm", new LayerNorm(c.hiddenSize(), c.layerNormEps()));
        optionalBuffer("position_ids", 1, c.maxPositionEmbeddings());
    }

    /** @param ids (B, L) int64 token ids, all of token type 0; returns (B, L, hidden) */
    public NDArray forward(NDArray ids) {
        long length = ids.getShape().get(1);
        NDArray positions = ids.getManager().arange(0, (int) length, 1, DataType.INT64).expandDims(0); // (1, L)
        NDArray types = ids.zerosLike(); // (B, L)
        NDArray h = wordEmbeddings.forward(ids).add(tokenTypeEmbeddings.forward(types));
        return layerNorm.forward(h.add(positionEmbeddings.forward(positions)));
    }
}
