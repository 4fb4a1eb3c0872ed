package ddpo4j.models.unet;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.Container;
import ddpo4j.nn.Linear;
import ddpo4j.nn.Module;
import ddpo4j.tensor.Functional;
import ddpo4j.tensor.LocalScope;

/**
 * diffusers' {@code FeedForward} with GEGLU: {@code net.0.proj} projects to twice the inner width,
 * one half gates the other through exact GELU, {@code net.2} projects back.
 */
public final class FeedForward extends Module {
    private final Linear proj;
    private final Linear out;
    private final long inner;

    public FeedForward(long dim) {
        this.inner = dim * 4;
        Container net = child("net", new Container());
        this.proj = net.add("0", new Container()).add("proj", new Linear(dim, inner * 2, true));
        this.out = net.add("2", new Linear(inner, dim, true));
    }

    public NDArray forward(NDArray x) {
        try (LocalScope scope = LocalScope.of(x)) {
            NDArray both = proj.forward(x); // (B, L, 2*inner)
            NDArray hidden = both.get("..., :" + inner);
            NDArray gate = both.get("..., " + inner + ":");
            return scope.keep(out.forward(hidden.mul(Functional.gelu(gate))));
        }
    }
}
