package ddpo4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ddpo4j.tensor.Functional;

/** {@code torch.nn.Conv2d} with square kernel, stride and padding, with or without a bias. */
public final class Conv2d extends Module {
    private final Parameter weight;
    private final Parameter bias;
    private final int stride;
    private final int padding;
    private LoraAdapter lora;

    public Conv2d(long in, long out, int kernel, int stride, int padding) {
        this(in, out, kernel, stride, padding, true);
    }

    public Conv2d(long in, long out, int kernel, int stride, int padding, boolean bias) {
        this.weight = parameter("weight", out, in, kernel, kernel);
        this.bias = bias ? parameter("bias", out) : null;
        this.stride = stride;
        this.padding = padding;
    }

    /** A stride-1 convolution padded to keep the spatial size ("same" for odd kernels). */
    public static Conv2d same(long in, long out, int kernel) {
        return new Conv2d(in, out, kernel, 1, (kernel - 1) / 2);
    }

    public LoraAdapter lora() {
        return lora;
    }

    /** Attaches a new LoRA adapter of {@code rank} (PEFT's conv form); its parameters are not state-dict keys. */
    public LoraAdapter attachLora(int rank, double scale) {
        if (lora != null) {
            throw new IllegalStateException("layer already has a LoRA adapter");
        }
        Shape w = weight.shape();
        lora = LoraAdapter.conv(w.get(1), w.get(0), (int) w.get(2), rank, scale);
        return lora;
    }

    public NDArray forward(NDArray x) {
        NDArray w = lora != null && lora.enabled()
                ? lora.mergedWeight(weight.value(), x.getManager())
                : weight.value();
        return Functional.conv2d(x, w, bias == null ? null : bias.value(), stride, padding);
    }
}
