package ddpo4j.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ddpo4j.tensor.Scopes;
import ddpo4j.tensor.GradMode;
import ddpo4j.tensor.InPlace;
import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average of weights, as diffusers' {@code EMAModel} keeps for Stable
 * Diffusion: after optimizer step {@code n} the shadow moves by {@code 1 - d} towards the weights,
 * with {@code d = min(decay, (1 + n) / (10 + n))} so early, still random weights fade fast. The
 * shadow is what gets shipped: it averages out the last steps' noise, which a constant learning
 * rate otherwise leaves in the weights.
 */
final class Ema {
    private final List<NDArray> weights;
    private final List<NDArray> shadow = new ArrayList<>();
    private final double decay;
    private final NDManager root;

    Ema(List<NDArray> weights, double decay, NDManager root) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("EMA decay must be in (0, 1), got " + decay);
        }
        this.weights = List.copyOf(weights);
        this.decay = decay;
        this.root = root;
        for (NDArray w : weights) {
            NDArray s = root.zeros(w.getShape(), w.getDataType());
            InPlace.copy(s, w);
            shadow.add(s);
        }
    }

    /** The shadow arrays (checkpointed with the weights so a resumed run continues the same average). */
    List<NDArray> shadow() {
        return shadow;
    }

    /** Moves the shadow after optimizer step {@code step} (1-based); runs outside a gradient collector. */
    void update(int step) {
        double d = Math.min(decay, (1.0 + step) / (10.0 + step));
        List<NDArray> all = new ArrayList<>(weights);
        all.addAll(shadow);
        try (NDManager m = Scopes.step(root, all.toArray(NDArray[]::new))) {
            for (int i = 0; i < weights.size(); i++) {
                shadow.get(i).muli(d).addi(weights.get(i).mul(1 - d));
            }
        }
    }

    /** Overwrites the weights with the shadow (at the end of training, before writing the model). */
    void copyToWeights() {
        GradMode.off(); // in-place writes to trainable weights
        for (int i = 0; i < weights.size(); i++) {
            InPlace.copy(weights.get(i), shadow.get(i));
        }
    }
}
