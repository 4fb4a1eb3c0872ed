package ddpo4j.models.clip;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.Linear;
import ddpo4j.nn.Module;
import ddpo4j.tensor.Functional;
import ddpo4j.tensor.Scalars;

/** transformers' {@code CLIPAttention}: multi-head self-attention with biased q/k/v/out projections. */
public final class CLIPAttention extends Module {
    private final Linear qProj;
    private final Linear kProj;
    private final Linear vProj;
    private final Linear outProj;
    private final int heads;
    private final double scale;

    public CLIPAttention(long dim, int heads) {
        this.kProj = child("k_proj", new Linear(dim, dim, true));
        this.vProj = child("v_proj", new Linear(dim, dim, true));
        this.qProj = child("q_proj", new Linear(dim, dim, true));
        this.outProj = child("out_proj", new Linear(dim, dim, true));
        this.heads = heads;
        this.scale = 1.0 / Math.sqrt((double) dim / heads);
    }

    /** @param x (B, L, dim); @param mask (L, L) additive causal mask */
    public NDArray forward(NDArray x, NDArray mask) {
        NDArray q = Scalars.mul(qProj.forward(x), scale); // transformers scales q before q k^T
        return outProj.forward(Functional.attention(q, kProj.forward(x), vProj.forward(x), heads, 1.0, mask));
    }
}
