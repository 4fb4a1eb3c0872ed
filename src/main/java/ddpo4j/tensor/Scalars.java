package ddpo4j.tensor;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Arithmetic with Java numbers that is safe under autograd. Use it instead of DJL's
 * {@code x.mul(Number)} / {@code div} / {@code pow} wherever {@code x} may require a gradient.
 *
 * <p>Why: DJL turns the number into a 0-d tensor that aliases a Java direct buffer
 * ({@code torch::from_blob}, no copy), runs the op and closes that tensor. A differentiable op
 * (mul, div, pow; not add or sub) saves its operands for the backward pass, so the graph still
 * points into the Java buffer, which the garbage collector frees whenever it likes. A backward
 * pass after a collection then reads freed memory: gradients that differ from run to run, now and
 * then NaN. Scalars made here live in memory libtorch allocated and reference-counts itself, so
 * the graph keeps them alive. They are cached per (device, type, value): a config constant costs
 * one allocation for the whole run, and ops use it as their second operand, so results still land
 * in the activation's manager.
 */
public final class Scalars {
    private static final int MAX_CACHED = 1024;
    private static final Map<Key, NDArray> CACHE = new ConcurrentHashMap<>();
    private static final Map<Device, NDManager> MANAGERS = new ConcurrentHashMap<>();

    private record Key(Device device, Class<?> type, Number value) {}

    private Scalars() {}

    /**
     * A 0-d tensor holding {@code value} on {@code like}'s device, of the type DJL gives that
     * number (Double: float64, Float: float32, Integer: int32, Long: int64), so that results,
     * including type promotion, are exactly those of {@code like.mul(value)}. Never close it.
     */
    public static NDArray of(NDArray like, Number value) {
        Key key = new Key(like.getDevice(), value.getClass(), value);
        NDArray cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        if (CACHE.size() >= MAX_CACHED) {
            // many distinct values (a schedule, say): uncached, closed with the activation's manager
            return owned(like.getManager(), value);
        }
        return CACHE.computeIfAbsent(key, k -> owned(
                MANAGERS.computeIfAbsent(k.device(), NDManager::newBaseManager), value));
    }

    public static NDArray mul(NDArray x, Number value) {
        return x.mul(of(x, value));
    }

    public static NDArray div(NDArray x, Number value) {
        return x.div(of(x, value));
    }

    public static NDArray pow(NDArray x, Number value) {
        return x.pow(of(x, value));
    }

    /**
     * {@code torch.clamp(x, lo, hi)} with its gradient (passed where {@code lo <= x <= hi}, zero
     * elsewhere), safe under autograd. DJL's {@code x.clip(lo, hi)} wraps both bounds as tensors
     * aliasing Java buffers and calls the tensor-bound clamp, whose backward saves them. Here the
     * clamp runs on a detached copy, so nothing is recorded, and a {@code where} on a comparison
     * mask carries the gradient; values are clamp's, NaN included.
     */
    public static NDArray clip(NDArray x, double lo, double hi) {
        NDArray clamped = x.stopGradient().clip(lo, hi); // not recorded: no graph keeps the aliased bounds
        NDArray inside = x.gte(lo).logicalAnd(x.lte(hi)); // comparisons take no gradient
        return NDArrays.where(inside, x, clamped);
    }

    /** {@code value} copied into libtorch memory, in {@code manager}. */
    private static NDArray owned(NDManager manager, Number value) {
        try (NDArray aliased = manager.create(value)) {
            return aliased.duplicate(); // torch allocates and owns the copy
        }
    }
}
