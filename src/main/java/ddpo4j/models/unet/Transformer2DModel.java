package ddpo4j.models.unet;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.Conv2d;
import ddpo4j.nn.GroupNorm;
import ddpo4j.nn.Linear;
import ddpo4j.nn.Module;
import ddpo4j.nn.ModuleList;
import ddpo4j.tensor.LocalScope;

/**
 * diffusers' {@code Transformer2DModel} for continuous inputs: group norm, project in (1x1 conv,
 * or linear for SD 2.x), transformer blocks over the H*W tokens, project out, residual.
 */
public final class Transformer2DModel extends Module {
    private final GroupNorm norm;
    private final Module projIn;
    private final ModuleList<BasicTransformerBlock> blocks;
    private final Module projOut;
    private final boolean linearProjection;
    private final long inner;

    public Transformer2DModel(long channels, int heads, long dimHead, long crossAttentionDim, int groups,
            boolean useLinearProjection) {
        this.inner = heads * dimHead;
        this.linearProjection = useLinearProjection;
        this.norm = child("norm", new GroupNorm(groups, channels, 1e-6));
        this.projIn = child("proj_in", useLinearProjection ? new Linear(channels, inner, true)
                : Conv2d.same(channels, inner, 1));
        this.blocks = child("transformer_blocks", new ModuleList<>());
        blocks.add(new BasicTransformerBlock(inner, heads, dimHead, crossAttentionDim));
        this.projOut = child("proj_out", useLinearProjection ? new Linear(inner, channels, true)
                : Conv2d.same(inner, channels, 1));
    }

    /** @param x (B, C, H, W); @param context (B, Lc, crossAttentionDim) */
    public NDArray forward(NDArray x, NDArray context) {
        long b = x.getShape().get(0);
        long c = x.getShape().get(1);
        long height = x.getShape().get(2);
        long width = x.getShape().get(3);
        try (LocalScope scope = LocalScope.of(x, context)) {
            NDArray h = norm.forward(x);
            if (linearProjection) {
                h = h.transpose(0, 2, 3, 1).reshape(b, height * width, c); // (B, HW, C)
                h = ((Linear) projIn).forward(h); // (B, HW, inner)
            } else {
                h = ((Conv2d) projIn).forward(h); // (B, inner, H, W)
                h = h.transpose(0, 2, 3, 1).reshape(b, height * width, inner); // (B, HW, inner)
            }
            for (BasicTransformerBlock block : blocks) {
                h = block.forward(h, context);
            }
            if (linearProjection) {
                h = ((Linear) projOut).forward(h); // (B, HW, C)
                h = h.reshape(b, height, width, c).transpose(0, 3, 1, 2); // (B, C, H, W)
            } else {
                h = h.reshape(b, height, width, inner).transpose(0, 3, 1, 2); // (B, inner, H, W)
                h = ((Conv2d) projOut).forward(h);
            }
            return scope.keep(h.add(x));
        }
    }
}
