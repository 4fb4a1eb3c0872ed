package ddpo4j.nn;

import ai.djl.ndarray.NDArray;
import ddpo4j.tensor.Functional;

/** {@code torch.nn.Embedding}: a (num, dim) table looked up by integer ids. */
public final class Embedding extends Module {
    private final Parameter weight;

    public Embedding(long num, long dim) {
        this.weight = parameter("weight", num, dim);
    }

    public NDArray forward(NDArray ids) {
        return Functional.embedding(ids, weight.value());
    }
}
