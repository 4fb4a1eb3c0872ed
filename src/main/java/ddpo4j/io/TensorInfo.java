package ddpo4j.io;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * One tensor's entry in a safetensors header: its dtype, shape and byte range relative to the
 * start of the data section.
 */
public record TensorInfo(String name, SafeDType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        // Records keep arrays by reference; copy so no caller can change a validated shape.
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements (1 for a scalar of shape []). Validated not to overflow when parsed. */
    public long numel() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Size of the data in bytes, end - begin. */
    public long byteLength() {
        return end - begin;
    }

    /** The shape as a DJL {@link Shape}. */
    public Shape djlShape() {
        return new Shape(shape.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t
                && name.equals(t.name)
                && dtype == t.dtype
                && Arrays.equals(shape, t.shape)
                && begin == t.begin
                && end == t.end;
    }

    @Override
    public int hashCode() {
        return ((name.hashCode() * 31 + dtype.hashCode()) * 31 + Arrays.hashCode(shape)) * 31
                + Long.hashCode(begin) * 7
                + Long.hashCode(end);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
    }
}
