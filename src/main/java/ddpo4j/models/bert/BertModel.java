package ddpo4j.models.bert;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.Container;
import ddpo4j.nn.Module;
import ddpo4j.nn.ModuleList;

/**
 * transformers' {@code BertModel} without the pooler: token ids to the last hidden state, the
 * per-token embeddings BERTScore compares. Keys {@code embeddings.*}, {@code encoder.layer.N.*}.
 */
public final class BertModel extends Module {
    private final BertConfig config;
    private final BertEmbeddings embeddings;
    private final ModuleList<BertLayer> layers;

    public BertModel(BertConfig config) {
        this.config = config;
        this.embeddings = child("embeddings", new BertEmbeddings(config));
        this.layers = child("encoder", new Container()).add("layer", new ModuleList<>());
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(new BertLayer(config));
        }
    }

    public BertConfig config() {
        return config;
    }

    /** @param ids (B, L) int64 token ids without padding; returns last_hidden_state (B, L, hidden) */
    public NDArray forward(NDArray ids) {
        NDArray h = embeddings.forward(ids);
        for (BertLayer layer : layers) {
            h = layer.forward(h);
        }
        return h;
    }
}
