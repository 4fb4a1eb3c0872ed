package ddpo4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.tensor.Scalars;

/**
 * A low-rank update of one layer, PEFT's form: on a {@link Linear}, {@code y += scale * B (A x)}
 * with A ({@code lora_A}, diffusers' {@code down}) of shape (rank, in) and B ({@code lora_B},
 * {@code up}) of shape (out, rank); on a {@link Conv2d}, A is a convolution of the layer's kernel,
 * stride and padding with {@code rank} output channels, (rank, in, k, k), and B a 1x1 convolution,
 * (out, rank, 1, 1). Both forms are applied folded into the layer's weight (see {@link #mergedWeight}),
 * which computes the same function.
 */
public final class LoraAdapter {
    private final Parameter a;
    private final Parameter b;
    private final double scale;
    private final boolean conv;
    private boolean enabled = true;

    private LoraAdapter(Shape aShape, Shape bShape, double scale, boolean conv) {
        this.a = new Parameter(aShape);
        this.b = new Parameter(bShape);
        this.scale = scale;
        this.conv = conv;
    }

    static LoraAdapter linear(long in, long out, int rank, double scale) {
        return new LoraAdapter(new Shape(rank, in), new Shape(out, rank), scale, false);
    }

    static LoraAdapter conv(long in, long out, int kernel, int rank, double scale) {
        return new LoraAdapter(new Shape(rank, in, kernel, kernel), new Shape(out, rank, 1, 1), scale, true);
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

    /**
     * The layer's weight with this update folded in, {@code weight + scale * B A} (for a
     * convolution, B's 1x1 kernel composed with A's), placed in {@code into}. One matrix product of
     * (out, rank) x (rank, in) per call replaces the two skinny products and the add of the unfolded
     * form on every activation: MKL runs products with 4 or 8 columns far below its speed
     * (docs/performance.md), and the merged layer costs what the base layer costs. Gradients reach
     * A and B through the merge.
     */
    NDArray mergedWeight(NDArray weight, NDManager into) {
        Shape ws = weight.getShape();
        long rank = a.shape().get(0);
        NDArray bm = conv ? local(b.value().reshape(ws.get(0), rank), into) : b.value();
        NDArray am = conv ? local(a.value().reshape(rank, ws.size() / ws.get(0)), into) : a.value();
        NDArray delta = local(bm.matMul(am), into);
        if (conv) {
            delta = local(delta.reshape(ws), into);
        }
        if (scale != 1.0) {
            delta = local(Scalars.mul(delta, scale), into);
        }
        return local(delta.add(weight), into);
    }

    /** Ops put results in their first operand's manager, here the adapter's own: move each out. */
    private static NDArray local(NDArray result, NDManager into) {
        result.attach(into);
        return result;
    }
}
