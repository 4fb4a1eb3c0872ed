package ddpo4j.models.judge;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.Container;
import ddpo4j.nn.Linear;
import ddpo4j.nn.Module;

/**
 * The aesthetic analog's predictor head, built like LAION's (linear layers with nothing in between,
 * keys {@code layers.0/1/2.{weight,bias}}), shrunk to the judge's embedding: Linear(d, 64),
 * Linear(64, 16), Linear(16, 1). It reads {@link JudgeNet#embedding}, as LAION's reads CLIP's.
 */
public final class AestheticHead extends Module {
    public static final int[] HIDDEN = {64, 16};
    private final Linear[] linears;

    public AestheticHead(int embeddingDim) {
        Container layers = child("layers", new Container());
        this.linears = new Linear[] {
            layers.add("0", new Linear(embeddingDim, HIDDEN[0], true)),
            layers.add("1", new Linear(HIDDEN[0], HIDDEN[1], true)),
            layers.add("2", new Linear(HIDDEN[1], 1, true)),
        };
    }

    /** (B, d) judge embeddings → (B, 1) predicted scores. */
    public NDArray forward(NDArray embeddings) {
        NDArray h = embeddings;
        for (Linear l : linears) {
            h = l.forward(h);
        }
        return h;
    }
}
