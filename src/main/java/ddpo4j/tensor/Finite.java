package ddpo4j.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Map;

/** Finiteness checks done natively, one reduction per tensor, without copying weights to the heap. */
public final class Finite {
    private Finite() {}

    /** The key of the first tensor holding a NaN or an infinity, or null when every one is finite. */
    public static String firstNonFinite(Map<String, NDArray> tensors) {
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            if (!isFinite(e.getValue())) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Whether every element of {@code a} is finite. */
    public static boolean isFinite(NDArray a) {
        if (a.size() == 0) {
            return true;
        }
        // A scope under the array's own manager: a parameter manager may be capped, and the temporaries die here.
        try (NDManager scope = Scopes.step(a.getManager(), new NDArray[] {a})) {
            // max |x| is NaN when any element is NaN (torch.max propagates NaN) and infinite when any is infinite
            return Double.isFinite(a.abs().max().toType(DataType.FLOAT64, false).getDouble());
        }
    }
}
