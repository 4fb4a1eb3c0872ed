package ddpo4j.models.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ddpo4j.nn.Conv2d;
import ddpo4j.nn.Module;

/**
 * diffusers' {@code Downsample2D} with a convolution: 3x3, stride 2. With padding 0 (the VAE) the
 * input is first padded by one on the right and bottom only, as diffusers does.
 */
public final class Downsample2D extends Module {
    private final Conv2d conv;
    private final boolean asymmetricPad;

    public Downsample2D(long channels, int padding) {
        this.conv = child("conv", new Conv2d(channels, channels, 3, 2, padding));
        this.asymmetricPad = padding == 0;
    }

    public NDArray forward(NDArray x) {
        NDArray in = asymmetricPad ? x.pad(new Shape(0, 1, 0, 1), 0) : x; // (left, right, top, bottom)
        return conv.forward(in);
    }
}
