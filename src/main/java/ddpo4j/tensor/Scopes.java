package ddpo4j.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Per-step native memory scopes. Parameters live in a long-lived (capped) manager; a step opens a
 * sub-manager and temporarily attaches the parameters to it, so that every array a forward pass
 * creates, including views of parameters, is freed when the step closes.
 */
public final class Scopes {
    private Scopes() {}

    /** A new sub-manager of {@code parent} with {@code parameters} temporarily attached to it. */
    public static NDManager step(NDManager parent, NDArray[] parameters) {
        NDManager step = parent.newSubManager();
        step.tempAttachAll(parameters);
        return step;
    }
}
