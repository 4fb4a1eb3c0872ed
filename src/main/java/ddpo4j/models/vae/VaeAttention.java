package ddpo4j.models.vae;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.Container;
import ddpo4j.nn.GroupNorm;
import ddpo4j.nn.Linear;
import ddpo4j.nn.Module;
import ddpo4j.tensor.Functional;
import ddpo4j.tensor.LocalScope;

/**
 * The VAE mid-block's single-head spatial self-attention with group norm and residual: diffusers'
 * {@code Attention(residual_connection=True)}, formerly {@code AttentionBlock} (whose keys
 * {@code query/key/value/proj_attn} {@link AutoencoderKL#canonicalKey} maps onto ours).
 */
public final class VaeAttention extends Module {
    private final GroupNorm groupNorm;
    private final Linear toQ;
    private final Linear toK;
    private final Linear toV;
    private final Linear toOut;
    private final double scale;

    public VaeAttention(long channels, int groups, double eps) {
        this.groupNorm = child("group_norm", new GroupNorm(groups, channels, eps));
        this.toQ = child("to_q", new Linear(channels, channels, true));
        this.toK = child("to_k", new Linear(channels, channels, true));
        this.toV = child("to_v", new Linear(channels, channels, true));
        this.toOut = child("to_out", new Container()).add("0", new Linear(channels, channels, true));
        this.scale = 1.0 / Math.sqrt(channels);
    }

    public NDArray forward(NDArray x) {
        long b = x.getShape().get(0);
        long c = x.getShape().get(1);
        long height = x.getShape().get(2);
        long width = x.getShape().get(3);
        try (LocalScope scope = LocalScope.of(x)) {
            NDArray h = groupNorm.forward(x).reshape(b, c, height * width).transpose(0, 2, 1); // (B, HW, C)
            NDArray out = Functional.attention(toQ.forward(h), toK.forward(h), toV.forward(h), 1, scale, null);
            out = toOut.forward(out).transpose(0, 2, 1).reshape(b, c, height, width); // (B, C, H, W)
            return scope.keep(out.add(x));
        }
    }
}
