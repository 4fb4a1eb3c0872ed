package ddpo4j.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Host (Java) data into native arrays that libtorch allocated itself. DJL wraps a Java direct
 * buffer without copying, so such an array's address, and thus its alignment, varies from run to
 * run; oneDNN and MKL kernels pick different code paths for different alignments and round
 * differently, which made identical runs differ in the last bits. One copy into a 64-byte-aligned
 * torch allocation makes every computation repeatable.
 */
public final class HostArrays {
    private HostArrays() {}

    public static NDArray floats(NDManager m, float[] data, Shape shape) {
        return aligned(m.create(data, shape));
    }

    public static NDArray floats(NDManager m, float[] data) {
        return aligned(m.create(data));
    }

    public static NDArray longs(NDManager m, long[] data, Shape shape) {
        return aligned(m.create(data, shape));
    }

    public static NDArray longs(NDManager m, long[] data) {
        return aligned(m.create(data));
    }

    private static NDArray aligned(NDArray wrapped) {
        NDArray copy = wrapped.duplicate(); // torch::empty + copy: allocated (and aligned) by libtorch
        wrapped.close();
        return copy;
    }
}
