package ddpo4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ddpo4j.tensor.Scopes;
import java.util.function.Function;

/**
 * The accumulated gradients of our own trainable parameter list: making arrays trainable, zeroing
 * and measuring gradients without DJL's {@code zeroGradients()}, which scans every live array.
 *
 * <p>The idiom, and why: {@code p.getGradient()} wraps the parameter's native {@code .grad} in a
 * <em>new</em> NDArray handle on every call, attached to the parameter's current manager. Kept,
 * such handles pile up; in a {@code cap()}ped parameter manager (outside a step scope) the call
 * even throws. Before the first backward it returns a fresh zeros array (float32 whatever the
 * parameter's dtype) that is not linked to the parameter. So every method here temporarily
 * attaches the parameters to a private sub-manager, takes each gradient handle there, and closes
 * them all on return: safe inside or outside a step scope, capped or not, and leak-free. Writes go
 * through the handle to the shared storage. Inside a step scope (parameters temporarily attached
 * to it, as {@code Scopes.step} does) a bare {@code p.getGradient()} is fine too: the handle then
 * belongs to the step and dies with it, which is how an optimizer should read gradients. Call
 * these after {@code backward}, outside the {@code GradientCollector}, like the optimizer step.
 */
public final class Gradients {
    private static final NDIndex ALL = new NDIndex("...");

    private Gradients() {}

    /** Makes each array a trainable leaf ({@code requires_grad_()}); gradients then accumulate over backward calls. */
    public static void track(NDArray... params) {
        for (NDArray p : params) {
            p.setRequiresGradient(true);
        }
    }

    /**
     * Sets every parameter's gradient to zero in place. Uses a fill, not DESIGN's {@code g.subi(g)}:
     * after a non-finite step {@code g - g} stays NaN forever, a fill recovers.
     */
    public static void zero(NDArray... params) {
        if (params.length == 0) {
            return;
        }
        withGradients(params, grads -> {
            for (NDArray g : grads) {
                g.set(ALL, 0);
            }
            return null;
        });
    }

    /**
     * The L2 norm of all gradients together, computed as {@code torch.nn.utils.clip_grad_norm_}
     * does: the norm of the stacked per-tensor norms, in the gradients' dtype, with a single
     * device-to-host copy at the end. NaN or infinite when any gradient is.
     */
    public static double globalNorm(NDArray... params) {
        if (params.length == 0) {
            return 0;
        }
        return withGradients(params, grads -> {
            NDList norms = new NDList(grads.length);
            for (NDArray g : grads) {
                norms.add(g.norm()); // scalar
            }
            return NDArrays.stack(norms).norm().toType(DataType.FLOAT64, false).getDouble();
        });
    }

    /** Applies {@code action} to the parameters' gradient handles, all closed on return with every temporary. */
    @SuppressWarnings("try") // the scope is used for its side effect: what it closes
    private static <T> T withGradients(NDArray[] params, Function<NDArray[], T> action) {
        // A sub-manager may be opened even under a capped manager; the parameters return to their
        // manager (capped or a step's) when it closes.
        try (NDManager scope = Scopes.step(params[0].getManager(), params)) {
            NDArray[] grads = new NDArray[params.length];
            for (int i = 0; i < params.length; i++) {
                if (!params[i].hasGradient()) {
                    throw new IllegalStateException("array of shape " + params[i].getShape()
                            + " is not trainable: call Gradients.track (setRequiresGradient) first");
                }
                grads[i] = params[i].getGradient();
            }
            return action.apply(grads);
        }
    }
}
