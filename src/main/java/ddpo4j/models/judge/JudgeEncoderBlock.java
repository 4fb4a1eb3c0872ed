package ddpo4j.models.judge;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.Conv2d;
import ddpo4j.nn.GroupNorm;
import ddpo4j.nn.Module;
import ddpo4j.tensor.Functional;

/**
 * One resolution level of the judge's encoder: a stride-2 3x3 convolution (halves H and W), then a
 * 3x3 convolution, each followed by group norm and SiLU. Post-norm and no residual: at four layers
 * deep the plain stack trains as well and costs less.
 */
public final class JudgeEncoderBlock extends Module {
    private final Conv2d down;
    private final GroupNorm norm1;
    private final Conv2d conv;
    private final GroupNorm norm2;

    public JudgeEncoderBlock(int in, int out, int groups) {
        this.down = child("down", new Conv2d(in, out, 3, 2, 1));
        this.norm1 = child("norm1", new GroupNorm(groups, out, 1e-5));
        this.conv = child("conv", Conv2d.same(out, out, 3));
        this.norm2 = child("norm2", new GroupNorm(groups, out, 1e-5));
    }

    /** (B, in, H, W) → (B, out, H/2, W/2). */
    public NDArray forward(NDArray x) {
        NDArray h = Functional.silu(norm1.forward(down.forward(x)));
        return Functional.silu(norm2.forward(conv.forward(h)));
    }
}
