package ddpo4j.models.unet;

import ai.djl.ndarray.NDArray;
import ddpo4j.models.common.Attention;
import ddpo4j.nn.LayerNorm;
import ddpo4j.nn.Module;
import ddpo4j.tensor.LocalScope;

/** diffusers' {@code BasicTransformerBlock}: self-attention, cross-attention, GEGLU feed-forward, each pre-norm and residual. */
public final class BasicTransformerBlock extends Module {
    private final LayerNorm norm1;
    private final Attention attn1;
    private final LayerNorm norm2;
    private final Attention attn2;
    private final LayerNorm norm3;
    private final FeedForward ff;

    public BasicTransformerBlock(long dim, int heads, long dimHead, long crossAttentionDim) {
        this.norm1 = child("norm1", new LayerNorm(dim, 1e-5));
        this.attn1 = child("attn1", new Attention(dim, 0, heads, dimHead, false));
        this.norm2 = child("norm2", new LayerNorm(dim, 1e-5));
        this.attn2 = child("attn2", new Attention(dim, crossAttentionDim, heads, dimHead, false));
        this.norm3 = child("norm3", new LayerNorm(dim, 1e-5));
        this.ff = child("ff", new FeedForward(dim));
    }

    /** @param x (B, L, dim); @param context (B, Lc, crossAttentionDim) */
    public NDArray forward(NDArray x, NDArray context) {
        try (LocalScope scope = LocalScope.of(x, context)) {
            NDArray h = attn1.forward(norm1.forward(x), null).add(x);
            h = attn2.forward(norm2.forward(h), context).add(h);
            return scope.keep(ff.forward(norm3.forward(h)).add(h));
        }
    }
}
