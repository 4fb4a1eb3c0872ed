package ddpo4j.nn;

import ai.djl.ndarray.NDArray;
import ddpo4j.tensor.Functional;

/** {@code torch.nn.Linear}: weight (out, in) and optional bias (out). */
public class Linear extends Module {
    private final long inFeatures;
    private final long outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(long inFeatures, long outFeatures, boolean bias) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = parameter("weight", outFeatures, inFeatures);
        this.bias = bias ? parameter("bias", outFeatures) : null;
    }

    public long inFeatures() {
        return inFeatures;
    }

    public long outFeatures() {
        return outFeatures;
    }

    public Parameter weight() {
        return weight;
    }

    public NDArray forward(NDArray x) {
        return Functional.linear(x, weight.value(), bias == null ? null : bias.value());
    }
}
