package ddpo4j.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Per-step native memory scopes. Parameters live in a long-lived (capped) manager; a step opens a
 * sub-manager and temporarily attaches the parameters and the step's inputs to it. DJL puts an
 * op's result in its first operand's manager, so every array the step creates, including views of
 * parameters, then dies with the step; whatever must outlive it is {@code attach}ed elsewhere.
 */
public final class Scopes {
    private Scopes() {}

    /**
     * A new sub-manager of {@code parent} with {@code parameters} and {@code inputs} temporarily
     * attached to it. An array listed twice is attached once: DJL would otherwise record the step
     * itself as its home on the second attach and close it with the step.
     */
    public static NDManager step(NDManager parent, NDArray[] parameters, NDArray... inputs) {
        Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        NDManager step = parent.newSubManager();
        for (NDArray[] group : new NDArray[][] {parameters, inputs}) {
            for (NDArray a : group) {
                if (seen.add(a)) {
                    step.tempAttachAll(a);
                }
            }
        }
        return step;
    }
}
