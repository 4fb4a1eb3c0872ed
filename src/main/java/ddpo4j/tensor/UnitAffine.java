package ddpo4j.tensor;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Constant unit weights and zero biases for normalizations that libtorch only offers with an
 * affine transform (DJL's layer norm needs both tensors). Cached per (device, type, length): a
 * model has a handful of distinct lengths, so each is allocated once per run. Never close them.
 */
final class UnitAffine {
    private static final Map<Key, NDArray> ONES = new ConcurrentHashMap<>();
    private static final Map<Key, NDArray> ZEROS = new ConcurrentHashMap<>();
    private static final Map<Device, NDManager> MANAGERS = new ConcurrentHashMap<>();

    private record Key(Device device, DataType type, long length) {}

    private UnitAffine() {}

    /** A vector of {@code length} ones of {@code like}'s device and type. */
    static NDArray ones(NDArray like, long length) {
        return ONES.computeIfAbsent(key(like, length), k -> manager(k).ones(new Shape(length), k.type()));
    }

    /** A vector of {@code length} zeros of {@code like}'s device and type. */
    static NDArray zeros(NDArray like, long length) {
        return ZEROS.computeIfAbsent(key(like, length), k -> manager(k).zeros(new Shape(length), k.type()));
    }

    private static Key key(NDArray like, long length) {
        return new Key(like.getDevice(), like.getDataType(), length);
    }

    private static NDManager manager(Key k) {
        return MANAGERS.computeIfAbsent(k.device(), d -> NDManager.newBaseManager(d));
    }
}
