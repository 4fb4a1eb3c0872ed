package ddpo4j.models.clip;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.ActivationFunction;
import ddpo4j.nn.Linear;
import ddpo4j.nn.Module;

/** transformers' {@code CLIPMLP}: fc1, activation, fc2. */
public final class CLIPMLP extends Module {
    private final Linear fc1;
    private final Linear fc2;
    private final ActivationFunction act;

    public CLIPMLP(long dim, long intermediate, ActivationFunction act) {
        this.fc1 = child("fc1", new Linear(dim, intermediate, true));
        this.fc2 = child("fc2", new Linear(intermediate, dim, true));
        this.act = act;
    }

    public NDArray forward(NDArray x) {
        return fc2.forward(act.apply(fc1.forward(x)));
    }
}
