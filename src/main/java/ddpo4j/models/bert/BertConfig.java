package ddpo4j.models.bert;

/**
 * The architecture of a {@link BertModel} (GELU activation, absolute positions), as in a
 * transformers {@code BertConfig}.
 */
public record BertConfig(
        int vocabSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        int maxPositionEmbeddings,
        int typeVocabSize,
        double layerNormEps) {

    /** {@code sentence-transformers/all-MiniLM-L6-v2}'s published config.json. */
    public static final BertConfig ALL_MINILM_L6_V2 = new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12);
}
