package ddpo4j.models.common;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.Conv2d;
import ddpo4j.nn.Module;
import ddpo4j.tensor.Functional;

/** diffusers' {@code Upsample2D} with a convolution: nearest-neighbour resize, then a 3x3 conv. */
public final class Upsample2D extends Module {
    private final Conv2d conv;

    public Upsample2D(long channels) {
        this.conv = child("conv", Conv2d.same(channels, channels, 3));
    }

    /** Doubles H and W. */
    public NDArray forward(NDArray x) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        return forward(x, 2 * h, 2 * w);
    }

    /** Resizes to an explicit size (used when the input size is not a multiple of the UNet's factor). */
    public NDArray forward(NDArray x, long height, long width) {
        return conv.forward(Functional.upsampleNearest(x, height, width));
    }
}
