package ddpo4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ddpo4j.tensor.Functional;
import ddpo4j.tensor.Scalars;

/**
 * A low-rank update of one {@link Linear}: {@code y += scale * B (A x)} with A ({@code lora_A},
 * diffusers' {@code down}) of shape (rank, in) and B ({@code lora_B}, {@code up}) of shape (out, rank).
 */
public final class LoraAdapter {
    private final Parameter a;
    private final Parameter b;
    private final double scale;
    private boolean enabled = true;

    LoraAdapter(long in, long out, int rank, double scale) {
        this.a = new Parameter(new Shape(rank, in));
        this.b = new Parameter(new Shape(out, rank));
        this.scale = scale;
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

    /** The update for input {@code x}: {@code scale * (x A^T) B^T}. */
    NDArray delta(NDArray x) {
        NDArray d = Functional.linear(Functional.linear(x, a.value(), null), b.value(), null);
        return scale == 1.0 ? d : Scalars.mul(d, scale);
    }
}
