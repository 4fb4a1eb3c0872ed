package ddpo4j.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Per-step native memory scopes. Parameters live in a long-lived (capped) manager; a step opens a
 * sub-manager and temporarily attaches the parameters and the step's inputs to it. DJL puts an
 * op's result in its first operand's manager, so every array the step creates, including views of
 * parameters, then dies with the step; whatever must outlive it is {@code attach}ed elsewhere.
 */
public final class Scopes {
    private Scopes() {}

    /** A new sub-manager of {@code parent} with {@code parameters} and {@code inputs} temporarily attached to it. */
    public static NDManager step(NDManager parent, NDArray[] parameters, NDArray... inputs) {
        NDManager step = parent.newSubManager();
        step.tempAttachAll(parameters);
        step.tempAttachAll(inputs);
        return step;
    }
}
