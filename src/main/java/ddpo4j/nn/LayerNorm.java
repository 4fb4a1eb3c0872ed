package ddpo4j.nn;

import ai.djl.ndarray.NDArray;
import ddpo4j.tensor.Functional;

/** {@code torch.nn.LayerNorm} over the last dimension, with affine weight and bias. */
public final class LayerNorm extends Module {
    private final double eps;
    private final Parameter weight;
    private final Parameter bias;

    public LayerNorm(long dim, double eps) {
        this.eps = eps;
        this.weight = parameter("weight", dim);
        this.bias = parameter("bias", dim);
    }

    public NDArray forward(NDArray x) {
        return Functional.layerNorm(x, weight.value(), bias.value(), eps);
    }
}
