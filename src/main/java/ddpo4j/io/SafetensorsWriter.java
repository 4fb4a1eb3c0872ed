package ddpo4j.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import ddpo4j.Ddpo4jException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes safetensors files atomically (temp file in the same folder, fsync, rename), with a
 * compact, sorted, space-padded header, from DJL NDArrays or plain Java arrays.
 */
public final class SafetensorsWriter {
    // Pure-ASCII headers: byte-identical to Python's json.dumps default, and readable everywhere.
    private static final JsonFactory JSON =
            JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private SafetensorsWriter() {}

    /**
     * Writes {@code tensors} and {@code metadata} (may be null or empty) to {@code file}, replacing
     * it atomically; FLOAT32/FLOAT64/FLOAT16 arrays are stored as F32/F64/F16, INT64/INT32/INT8 as
     * I64/I32/I8, UINT8 as U8, BOOLEAN as BOOL; any other type is refused before anything is written.
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) {
        if (tensors == null) {
            throw new Ddpo4jException("cannot write " + file + ": tensor map is null");
        }
        Builder b = builder();
        tensors.forEach(b::put);
        b.write(file, metadata);
    }

    /** A builder collecting tensors from NDArrays or Java arrays, written by {@link Builder#write}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The safetensors dtype {@link #write} stores for DJL type {@code t}, or null if none. */
    public static SafeDType safeType(DataType t) {
        if (t == null) {
            return null;
        }
        return switch (t) {
            case FLOAT32 -> SafeDType.F32;
            case FLOAT64 -> SafeDType.F64;
            case FLOAT16 -> SafeDType.F16;
            case INT64 -> SafeDType.I64;
            case INT32 -> SafeDType.I32;
            case INT8 -> SafeDType.I8;
            case UINT8 -> SafeDType.U8;
            case BOOLEAN -> SafeDType.BOOL;
            default -> null;
        };
    }

    /** Collects named tensors; Java-array data is copied at {@code put}, NDArrays are read at write time. */
    public static final class Builder {
        private final TreeMap<String, Entry> entries = new TreeMap<>();

        private Builder() {}

        /** Adds an NDArray; it must stay open until {@link #write} returns. */
        public Builder put(String name, NDArray array) {
            checkName(name);
            if (array == null) {
                throw new Ddpo4jException("tensor '" + name + "' is null");
            }
            DataType type;
            long[] shape;
            try {
                type = array.getDataType();
                shape = array.getShape().getShape();
            } catch (RuntimeException e) {
                throw new Ddpo4jException("tensor '" + name + "' cannot be read: " + e, e);
            }
            SafeDType dtype = safeType(type);
            if (dtype == null) {
                throw new Ddpo4jException("tensor '" + name + "' has DJL type " + (type == null ? "null" : type.name())
                        + ", which safetensors writing does not support"
                        + " (FLOAT32, FLOAT64, FLOAT16, INT64, INT32, INT8, UINT8, BOOLEAN)");
            }
            long numel = numel(name, shape);
            if (numel > Long.MAX_VALUE / dtype.bytes()) {
                throw new Ddpo4jException("tensor '" + name + "' shape " + Arrays.toString(shape) + " overflows");
            }
            return add(new Entry(name, dtype, shape, numel * dtype.bytes(), null, array));
        }

        /** Adds float32 data as F32. */
        public Builder put(String name, float[] data, long... shape) {
            ByteBuffer b = allocate(name, data == null ? -1 : data.length, 4, shape);
            b.asFloatBuffer().put(data);
            return add(name, SafeDType.F32, shape, b);
        }

        /** Adds float32 data stored as F16 (rounded to nearest even; beyond ±65504 becomes ±inf). */
        public Builder putF16(String name, float[] data, long... shape) {
            ByteBuffer b = allocate(name, data == null ? -1 : data.length, 2, shape);
            for (int i = 0; i < data.length; i++) {
                b.putShort(2 * i, HalfFloats.floatToF16(data[i]));
            }
            return add(name, SafeDType.F16, shape, b);
        }

        /** Adds float32 data stored as BF16 (rounded to nearest even). */
        public Builder putBF16(String name, float[] data, long... shape) {
            ByteBuffer b = allocate(name, data == null ? -1 : data.length, 2, shape);
            for (int i = 0; i < data.length; i++) {
                b.putShort(2 * i, HalfFloats.floatToBf16(data[i]));
            }
            return add(name, SafeDType.BF16, shape, b);
        }

        /** Adds float64 data as F64. */
        public Builder putF64(String name, double[] data, long... shape) {
            ByteBuffer b = allocate(name, data == null ? -1 : data.length, 8, shape);
            b.asDoubleBuffer().put(data);
            return add(name, SafeDType.F64, shape, b);
        }

        /** Adds int64 data as I64. */
        public Builder putLongs(String name, long[] data, long... shape) {
            ByteBuffer b = allocate(name, data == null ? -1 : data.length, 8, shape);
            b.asLongBuffer().put(data);
            return add(name, SafeDType.I64, shape, b);
        }

        /** Adds int32 data as I32. */
        public Builder putInts(String name, int[] data, long... shape) {
            ByteBuffer b = allocate(name, data == null ? -1 : data.length, 4, shape);
            b.asIntBuffer().put(data);
            return add(name, SafeDType.I32, shape, b);
        }

        /** Adds int16 data as I16. */
        public Builder putShorts(String name, short[] data, long... shape) {
            ByteBuffer b = allocate(name, data == null ? -1 : data.length, 2, shape);
            b.asShortBuffer().put(data);
            return add(name, SafeDType.I16, shape, b);
        }

        /** Adds signed bytes as I8. */
        public Builder putI8(String name, byte[] data, long... shape) {
            ByteBuffer b = allocate(name, data == null ? -1 : data.length, 1, shape);
            b.put(0, data);
            return add(name, SafeDType.I8, shape, b);
        }

        /** Adds bytes as U8 (each byte read as 0..255). */
        public Builder putU8(String name, byte[] data, long... shape) {
            ByteBuffer b = allocate(name, data == null ? -1 : data.length, 1, shape);
            b.put(0, data);
            return add(name, SafeDType.U8, shape, b);
        }

        /** Adds booleans as BOOL (one byte each, 0 or 1). */
        public Builder putBools(String name, boolean[] data, long... shape) {
            ByteBuffer b = allocate(name, data == null ? -1 : data.length, 1, shape);
            for (int i = 0; i < data.length; i++) {
                b.put(i, data[i] ? (byte) 1 : (byte) 0);
            }
            return add(name, SafeDType.BOOL, shape, b);
        }

        /** Adds raw little-endian bytes of any dtype, e.g. copied verbatim from another file. */
        public Builder putRaw(String name, SafeDType dtype, ByteBuffer littleEndianData, long... shape) {
            if (dtype == null) {
                throw new Ddpo4jException("tensor '" + name + "' has a null dtype");
            }
            int bytes = littleEndianData == null ? -1 : littleEndianData.remaining();
            if (bytes >= 0 && bytes % dtype.bytes() != 0) {
                throw new Ddpo4jException("tensor '" + name + "': " + bytes + " bytes is not a whole number of "
                        + dtype + " elements");
            }
            ByteBuffer b = allocate(name, bytes < 0 ? -1 : bytes / dtype.bytes(), dtype.bytes(), shape);
            b.put(littleEndianData.duplicate());
            return add(name, dtype, shape, b.clear());
        }

        /** Names added so far, sorted as they will be written. */
        public SortedSet<String> names() {
            return Collections.unmodifiableSortedSet(new TreeSet<>(entries.keySet()));
        }

        /**
         * Writes all tensors and {@code metadata} (may be null or empty: then no {@code
         * __metadata__}; kept in the map's iteration order) to {@code file}, atomically replacing
         * any existing file.
         */
        public void write(Path file, Map<String, String> metadata) {
            if (file == null) {
                throw new Ddpo4jException("safetensors output path is null");
            }
            // Metadata keeps the map's order (as Python's writers do), so a file read and rewritten
            // comes out byte-identical; pass a sorted or linked map for reproducible output.
            Map<String, String> meta = new LinkedHashMap<>();
            if (metadata != null) {
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    if (e.getKey() == null || e.getValue() == null) {
                        throw new Ddpo4jException("cannot write " + file + ": metadata has a null key or value ("
                                + e.getKey() + " = " + e.getValue() + ")");
                    }
                    meta.put(e.getKey(), e.getValue());
                }
            }
            AtomicFile.write(file, ch -> {
                ByteBuffer header = header(meta);
                ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                prefix.putLong(0, header.remaining());
                writeAll(ch, prefix);
                writeAll(ch, header);
                for (Entry e : entries.values()) {
                    writeAll(ch, e.littleEndianBytes(file));
                }
            });
        }

        private ByteBuffer header(Map<String, String> meta) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                g.writeStartObject();
                if (!meta.isEmpty()) {
                    g.writeObjectFieldStart(SafetensorsHeader.METADATA_KEY);
                    for (Map.Entry<String, String> e : meta.entrySet()) {
                        g.writeStringField(e.getKey(), e.getValue());
                    }
                    g.writeEndObject();
                }
                long offset = 0;
                for (Entry e : entries.values()) {
                    g.writeObjectFieldStart(e.name);
                    g.writeStringField("dtype", e.dtype.name());
                    g.writeArrayFieldStart("shape");
                    for (long d : e.shape) {
                        g.writeNumber(d);
                    }
                    g.writeEndArray();
                    g.writeArrayFieldStart("data_offsets");
                    g.writeNumber(offset);
                    g.writeNumber(offset + e.byteLength);
                    g.writeEndArray();
                    g.writeEndObject();
                    offset += e.byteLength;
                }
                g.writeEndObject();
            }
            // Pad with spaces so the data section starts 8-byte aligned, as the format recommends.
            while (out.size() % 8 != 0) {
                out.write(' ');
            }
            return ByteBuffer.wrap(out.toByteArray());
        }

        private Builder add(String name, SafeDType dtype, long[] shape, ByteBuffer data) {
            return add(new Entry(name, dtype, shape.clone(), data.capacity(), data, null));
        }

        private Builder add(Entry e) {
            if (entries.containsKey(e.name)) {
                throw new Ddpo4jException("duplicate tensor name '" + e.name + "'");
            }
            entries.put(e.name, e);
            return this;
        }

        private static ByteBuffer allocate(String name, long length, int width, long[] shape) {
            checkName(name);
            if (length < 0) {
                throw new Ddpo4jException("tensor '" + name + "' has null data");
            }
            if (shape == null) {
                throw new Ddpo4jException("tensor '" + name + "' has a null shape");
            }
            long numel = numel(name, shape);
            if (numel != length) {
                throw new Ddpo4jException("tensor '" + name + "': shape " + Arrays.toString(shape) + " holds "
                        + numel + " elements but " + length + " were given");
            }
            if (length * width > Integer.MAX_VALUE) {
                throw new Ddpo4jException("tensor '" + name + "' is 2 GiB or more; not supported from a Java array");
            }
            return ByteBuffer.allocate((int) (length * width)).order(ByteOrder.LITTLE_ENDIAN);
        }

        private static long numel(String name, long[] shape) {
            long n = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new Ddpo4jException("tensor '" + name + "' has negative dimension in shape "
                            + Arrays.toString(shape));
                }
                try {
                    n = Math.multiplyExact(n, d);
                } catch (ArithmeticException e) {
                    throw new Ddpo4jException("tensor '" + name + "' shape " + Arrays.toString(shape) + " overflows");
                }
            }
            return n;
        }

        private static void checkName(String name) {
            if (name == null || name.isEmpty()) {
                throw new Ddpo4jException("tensor name is null or empty");
            }
            if (name.equals(SafetensorsHeader.METADATA_KEY)) {
                throw new Ddpo4jException("'" + name + "' is reserved for metadata and cannot name a tensor");
            }
        }

        private static void writeAll(FileChannel ch, ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    /** One tensor to write: either encoded bytes, or an NDArray read when written. */
    private record Entry(String name, SafeDType dtype, long[] shape, long byteLength, ByteBuffer data, NDArray array) {

        ByteBuffer littleEndianBytes(Path file) {
            if (data != null) {
                return data.duplicate();
            }
            ByteBuffer b;
            try {
                b = array.toByteBuffer();
            } catch (RuntimeException e) {
                throw new Ddpo4jException("cannot write " + file + ": tensor '" + name + "' cannot be read: " + e, e);
            }
            if (b.remaining() != byteLength) {
                throw new Ddpo4jException("cannot write " + file + ": tensor '" + name + "' gave " + b.remaining()
                        + " bytes, expected " + byteLength);
            }
            // DJL hands out native-order bytes; safetensors is little-endian.
            return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? b : swapped(b, dtype.bytes());
        }

        private static ByteBuffer swapped(ByteBuffer b, int width) {
            ByteBuffer out = ByteBuffer.allocate(b.remaining());
            for (int i = 0; i < b.remaining(); i += width) {
                for (int j = 0; j < width; j++) {
                    out.put(i + j, b.get(b.position() + i + width - 1 - j));
                }
            }
            return out;
        }
    }
}
