package ddpo4j.models.common;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.Container;
import ddpo4j.nn.Linear;
import ddpo4j.nn.Module;
import ddpo4j.tensor.Functional;
import ddpo4j.tensor.LocalScope;

/**
 * diffusers' {@code Attention} (self- or cross-attention): projections {@code to_q}, {@code to_k},
 * {@code to_v} and {@code to_out.0}, scaled dot-product attention over {@code heads} heads.
 */
public final class Attention extends Module {
    private final Linear toQ;
    private final Linear toK;
    private final Linear toV;
    private final Linear toOut;
    private final int heads;
    private final double scale;

    /**
     * @param contextDim width of the cross-attention context, or 0 for self-attention
     * @param qkvBias whether the q/k/v projections have biases (false in the UNet)
     */
    public Attention(long queryDim, long contextDim, int heads, long dimHead, boolean qkvBias) {
        long inner = heads * dimHead;
        long kvDim = contextDim > 0 ? contextDim : queryDim;
        this.toQ = child("to_q", new Linear(queryDim, inner, qkvBias));
        this.toK = child("to_k", new Linear(kvDim, inner, qkvBias));
        this.toV = child("to_v", new Linear(kvDim, inner, qkvBias));
        this.toOut = child("to_out", new Container()).add("0", new Linear(inner, queryDim, true));
        this.heads = heads;
        this.scale = 1.0 / Math.sqrt(dimHead);
    }

    public Linear toQ() {
        return toQ;
    }

    /**
     * @param x (B, L, queryDim)
     * @param context (B, Lc, contextDim), or null for self-attention
     */
    public NDArray forward(NDArray x, NDArray context) {
        try (LocalScope scope = LocalScope.of(x, context)) {
            NDArray kv = context == null ? x : context;
            NDArray out = Functional.attention(toQ.forward(x), toK.forward(kv), toV.forward(kv), heads, scale, null);
            return scope.keep(toOut.forward(out));
        }
    }
}
