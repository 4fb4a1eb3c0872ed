package ddpo4j.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;

/** {@code torch.nn.utils.clip_grad_norm_} (2-norm): the global norm of all gradients, then in-place scaling. */
public final class GradClip {
    private GradClip() {}

    /** The 2-norm of the per-tensor 2-norms, in parameter order as torch stacks them. */
    public static float globalNorm(List<NDArray> grads) {
        List<NDArray> norms = new ArrayList<>(grads.size());
        for (NDArray g : grads) {
            norms.add(g.square().sum().sqrt());
        }
        return NDArrays.stack(new NDList(norms)).square().sum().sqrt().getFloat();
    }

    /**
     * Scales gradients in place by {@code min(1, maxNorm / (norm + 1e-6))} and returns the norm
     * before clipping. Run it outside a gradient collector.
     */
    public static float clip(List<NDArray> grads, double maxNorm) {
        float norm = globalNorm(grads);
        float coef = (float) maxNorm / (norm + 1e-6f);
        if (coef < 1f) {
            for (NDArray g : grads) {
                g.muli(coef);
            }
        }
        return norm;
    }
}
