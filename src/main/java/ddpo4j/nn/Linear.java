package ddpo4j.nn;

import ai.djl.ndarray.NDArray;
import ddpo4j.tensor.Functional;

/** {@code torch.nn.Linear}: weight (out, in) and optional bias (out). */
public class Linear extends Module {
    private final long inFeatures;
    private final long outFeatures;
    private final Parameter weight;
    private final Parameter bias;
    private LoraAdapter lora;

    public Linear(long inFeatures, long outFeatures, boolean bias) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = parameter("weight", outFeatures, inFeatures);
        this.bias = bias ? parameter("bias", outFeatures) : null;
    }

    public long inFeatures() {
        return inFeatures;
    }

    public Parameter weight() {
        return weight;
    }

    /** The attached LoRA adapter, or null. */
    public LoraAdapter lora() {
        return lora;
    }

    /** Attaches a new zero-valued LoRA adapter of {@code rank}; its parameters are not state-dict keys. */
    public LoraAdapter attachLora(int rank, double scale) {
        if (lora != null) {
            throw new IllegalStateException("layer already has a LoRA adapter");
        }
        lora = LoraAdapter.linear(inFeatures, outFeatures, rank, scale);
        return lora;
    }

    public NDArray forward(NDArray x) {
        NDArray w = lora != null && lora.enabled()
                ? lora.mergedWeight(weight.value(), x.getManager())
                : weight.value();
        return Functional.linear(x, w, bias == null ? null : bias.value());
    }
}
