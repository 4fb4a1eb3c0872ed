package ddpo4j.nn;

import ai.djl.ndarray.NDArray;
import ddpo4j.tensor.Functional;

/** {@code torch.nn.GroupNorm} with affine weight and bias. */
public final class GroupNorm extends Module {
    private final int groups;
    private final double eps;
    private final Parameter weight;
    private final Parameter bias;

    public GroupNorm(int groups, long channels, double eps) {
        if (channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels do not split into " + groups + " groups");
        }
        this.groups = groups;
        this.eps = eps;
        this.weight = parameter("weight", channels);
        this.bias = parameter("bias", channels);
    }

    public NDArray forward(NDArray x) {
        return Functional.groupNorm(x, groups, weight.value(), bias.value(), eps);
    }
}
