package ddpo4j.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ddpo4j.nn.Gradients;
import ddpo4j.tensor.Scopes;
import java.util.ArrayList;
import java.util.List;

/**
 * One update of a parameter list: global-norm clipping, an AdamW step, zeroed gradients, all in a
 * scope of its own so the gradient handles and scalar temporaries die with it. A non-finite norm
 * skips the update (and zeroes the gradients) instead of poisoning the weights.
 */
public final class OptimizerStep {
    private final NDManager root;
    private final List<NDArray> weights;
    private final AdamW adam;
    private final double maxGradNorm;

    public OptimizerStep(NDManager root, List<NDArray> weights, AdamW adam, double maxGradNorm) {
        this.root = root;
        this.weights = List.copyOf(weights);
        this.adam = adam;
        this.maxGradNorm = maxGradNorm;
    }

    /** Zeroes the gradients without an update: the step is skipped (e.g. its loss was non-finite). */
    public void skip() {
        Gradients.zero(weights.toArray(NDArray[]::new));
    }

    /** Clips, steps and zeroes; returns the gradient norm before clipping (non-finite: step skipped). */
    public double apply() {
        List<NDArray> scoped = new ArrayList<>(weights);
        scoped.addAll(adam.firstMoments());
        scoped.addAll(adam.secondMoments());
        try (NDManager s = Scopes.step(root, scoped.toArray(NDArray[]::new))) {
            List<NDArray> grads = weights.stream().map(NDArray::getGradient).toList();
            float norm = GradClip.clip(grads, maxGradNorm);
            if (Float.isFinite(norm)) {
                adam.step(grads);
            }
            for (NDArray g : grads) {
                g.set(new NDIndex("..."), 0); // a fill: g - g would keep NaN forever
            }
            return norm;
        }
    }
}
