package ddpo4j.models.common;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.ActivationFunction;
import ddpo4j.nn.Conv2d;
import ddpo4j.nn.GroupNorm;
import ddpo4j.nn.Linear;
import ddpo4j.nn.Module;
import ddpo4j.tensor.LocalScope;
import ddpo4j.tensor.Scalars;

/**
 * diffusers' {@code ResnetBlock2D} (pre-norm, default time-embedding norm): two 3x3 convolutions
 * with an optional timestep-embedding bias between them and a 1x1 shortcut when channels change.
 */
public final class ResnetBlock2D extends Module {
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final Linear timeEmbProj;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d convShortcut;
    private final ActivationFunction act;
    private final double outputScaleFactor;

    /**
     * @param tembChannels width of the timestep embedding, or 0 for blocks without one (the VAE)
     */
    public ResnetBlock2D(long in, long out, long tembChannels, int groups, double eps, ActivationFunction act,
            double outputScaleFactor) {
        this.norm1 = child("norm1", new GroupNorm(groups, in, eps));
        this.conv1 = child("conv1", Conv2d.same(in, out, 3));
        this.timeEmbProj = tembChannels > 0 ? child("time_emb_proj", new Linear(tembChannels, out, true)) : null;
        this.norm2 = child("norm2", new GroupNorm(groups, out, eps));
        this.conv2 = child("conv2", Conv2d.same(out, out, 3));
        this.convShortcut = in != out ? child("conv_shortcut", Conv2d.same(in, out, 1)) : null;
        this.act = act;
        this.outputScaleFactor = outputScaleFactor;
    }

    /** @param temb (B, tembChannels) or null when the block has no time embedding */
    public NDArray forward(NDArray x, NDArray temb) {
        try (LocalScope scope = LocalScope.of(x, temb)) {
            NDArray h = conv1.forward(act.apply(norm1.forward(x)));
            if (timeEmbProj != null) {
                NDArray t = timeEmbProj.forward(act.apply(temb)); // (B, out)
                h = h.add(t.expandDims(2).expandDims(3)); // broadcast over (H, W)
            }
            h = conv2.forward(act.apply(norm2.forward(h)));
            NDArray shortcut = convShortcut == null ? x : convShortcut.forward(x);
            NDArray sum = shortcut.add(h);
            return scope.keep(outputScaleFactor == 1.0 ? sum : Scalars.div(sum, outputScaleFactor));
        }
    }
}
