package ddpo4j.models.bert;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.Container;
import ddpo4j.nn.LayerNorm;
import ddpo4j.nn.Linear;
import ddpo4j.nn.Module;
import ddpo4j.tensor.Functional;

/**
 * transformers' {@code BertLayer}, post-norm: self-attention ({@code attention.self.query/key/value},
 * {@code attention.output.dense}, {@code attention.output.LayerNorm}), then the GELU feed-forward
 * ({@code intermediate.dense}, {@code output.dense}, {@code output.LayerNorm}).
 */
public final class BertLayer extends Module {
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear attentionDense;
    private final LayerNorm attentionNorm;
    private final Linear intermediate;
    private final Linear outputDense;
    private final LayerNorm outputNorm;
    private final int heads;
    private final double scale;

    public BertLayer(BertConfig c) {
        int d = c.hiddenSize();
        Container attention = child("attention", new Container());
        Container self = attention.add("self", new Container());
        this.query = self.add("query", new Linear(d, d, true));
        this.key = self.add("key", new Linear(d, d, true));
        this.value = self.add("value", new Linear(d, d, true));
        Container attentionOutput = attention.add("output", new Container());
        this.attentionDense = attentionOutput.add("dense", new Linear(d, d, true));
        this.attentionNorm = attentionOutput.add("LayerNorm", new LayerNorm(d, c.layerNormEps()));
        this.intermediate = child("intermediate", new Container()).add("dense", new Linear(d, c.intermediateSize(), true));
        Container output = child("output", new Container());
        this.outputDense = output.add("dense", new Linear(c.intermediateSize(), d, true));
        this.outputNorm = output.add("LayerNorm", new LayerNorm(d, c.layerNormEps()));
        this.heads = c.numAttentionHeads();
        this.scale = 1.0 / Math.sqrt((double) d / heads);
    }

    /** @param x (B, L, hidden) of one unpadded sequence per row; returns (B, L, hidden) */
    public NDArray forward(NDArray x) {
        NDArray a = Functional.attention(query.forward(x), key.forward(x), value.forward(x), heads, scale, null);
        NDArray h = attentionNorm.forward(attentionDense.forward(a).add(x));
        NDArray f = outputDense.forward(Functional.gelu(intermediate.forward(h)));
        return outputNorm.forward(f.add(h));
    }
}
