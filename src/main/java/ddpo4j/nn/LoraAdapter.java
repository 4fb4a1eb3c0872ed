package ddpo4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ddpo4j.tensor.Functional;
import ddpo4j.tensor.Scalars;

/**
 * A low-rank update of one layer, PEFT's form: on a {@link Linear}, {@code y += scale * B (A x)}
 * with A ({@code lora_A}, diffusers' {@code down}) of shape (rank, in) and B ({@code lora_B},
 * {@code up}) of shape (out, rank); on a {@link Conv2d}, A is a convolution of the layer's kernel,
 * stride and padding with {@code rank} output channels, (rank, in, k, k), and B a 1x1 convolution,
 * (out, rank, 1, 1).
 */
public final class LoraAdapter {
    private final Parameter a;
    private final Parameter b;
    private final double scale;
    private final boolean conv;
    private final int stride;
    private final int padding;
    private boolean enabled = true;

    private LoraAdapter(Shape aShape, Shape bShape, double scale, boolean conv, int stride, int padding) {
        this.a = new Parameter(aShape);
        this.b = new Parameter(bShape);
        this.scale = scale;
        this.conv = conv;
        this.stride = stride;
        this.padding = padding;
    }

    static LoraAdapter linear(long in, long out, int rank, double scale) {
        return new LoraAdapter(new Shape(rank, in), new Shape(out, rank), scale, false, 1, 0);
    }

    static LoraAdapter conv(long in, long out, int kernel, int stride, int padding, int rank, double scale) {
        return new LoraAdapter(new Shape(rank, in, kernel, kernel), new Shape(out, rank, 1, 1), scale, true, stride,
                padding);
    }

    public Parameter a() {
        return a;
    }

    public Parameter b() {
        return b;
    }

    public double scale() {
        return scale;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Disabling gives back the base layer (the reference policy of a KL penalty). */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** The update for input {@code x}: {@code scale * B(A(x))}. */
    NDArray delta(NDArray x) {
        NDArray d = conv
                ? Functional.conv2d(Functional.conv2d(x, a.value(), null, stride, padding), b.value(), null, 1, 0)
                : Functional.linear(Functional.linear(x, a.value(), null), b.value(), null);
        return scale == 1.0 ? d : Scalars.mul(d, scale);
    }
}
