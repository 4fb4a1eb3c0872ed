package ddpo4j.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Reads tensors from a safetensors file of any size, memory-mapping each tensor's bytes on demand
 * (never the whole file) after validating the entire header up front.
 */
public final class SafetensorsReader implements AutoCloseable {
    /** One FileChannel.map, ByteBuffer index and Java array are all limited to int range. */
    static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE;

    /** Largest Java array the JVM reliably allocates. */
    private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    /** Direct staging buffer size for {@link #load}: bounds the native memory Java holds. */
    static final int CHUNK_BYTES = 16 << 20;

    private final Path file;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final SortedSet<String> keys;
    private volatile boolean closed;

    private SafetensorsReader(Path file, FileChannel channel, SafetensorsHeader header) {
        this.file = file;
        this.channel = channel;
        this.header = header;
        this.keys = Collections.unmodifiableSortedSet(new TreeSet<>(header.tensors().keySet()));
    }

    /** Opens {@code file} and validates its whole header; the file stays open until {@link #close}. */
    public static SafetensorsReader open(Path file) {
        if (file == null) {
            throw new Ddpo4jException("safetensors file path is null");
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new Ddpo4jException("cannot open safetensors file " + file + ": " + e, e);
        }
        try {
            return new SafetensorsReader(file, ch, SafetensorsHeader.read(file, ch));
        } catch (RuntimeException e) {
            closeQuietly(ch, e);
            throw e;
        }
    }

    /** The file this reader reads. */
    public Path file() {
        return file;
    }

    /** The header's {@code __metadata__} map, in file order; empty if absent. */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** Names of all tensors, sorted. */
    public SortedSet<String> keys() {
        return keys;
    }

    /** Whether the file holds a tensor named {@code key}. */
    public boolean contains(String key) {
        return header.tensors().containsKey(key);
    }

    /** All tensor entries, in header order. */
    public Map<String, TensorInfo> infos() {
        return header.tensors();
    }

    /** The header entry of {@code key}; Ddpo4jException naming file and key if absent. */
    public TensorInfo info(String key) {
        TensorInfo t = header.tensors().get(key);
        if (t == null) {
            throw new Ddpo4jException(file + ": no tensor named '" + key + "' (the file has "
                    + keys.size() + " tensors)");
        }
        return t;
    }

    /** A read-only little-endian view of {@code key}'s raw bytes, mapped from the file. */
    public ByteBuffer bytes(String key) {
        TensorInfo t = info(key);
        checkOpen();
        if (t.byteLength() > MAX_TENSOR_BYTES) {
            throw new Ddpo4jException(file + ": tensor '" + key + "' is " + t.byteLength()
                    + " bytes; tensors of 2 GiB or more are not supported");
        }
        try {
            // One mapping per tensor: a single map() is capped at 2 GiB, whole files are not.
            return channel.map(FileChannel.MapMode.READ_ONLY, header.dataStart() + t.begin(), t.byteLength())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException | RuntimeException e) {
            throw new Ddpo4jException(file + ": cannot map tensor '" + key + "': " + e, e);
        }
    }

    /** {@code key}'s elements widened to float32; for F64, F32, F16 and BF16 tensors. */
    public float[] floats(String key) {
        TensorInfo t = info(key);
        if (!t.dtype().isFloat()) {
            throw new Ddpo4jException(file + ": tensor '" + key + "' has dtype " + t.dtype()
                    + ", not a float dtype (F64/F32/F16/BF16)");
        }
        ByteBuffer src = bytes(key);
        int n = arrayLength(t);
        try {
            return TensorDecoder.floats(src, t.dtype(), n);
        } catch (InternalError e) {
            throw changedUnderneath(key, e);
        }
    }

    /** {@code key}'s elements as longs (U8 unsigned); for I64, I32, I16, I8 and U8 tensors. */
    public long[] longs(String key) {
        TensorInfo t = info(key);
        if (!t.dtype().isInteger()) {
            throw new Ddpo4jException(file + ": tensor '" + key + "' has dtype " + t.dtype()
                    + ", not an integer dtype (I64/I32/I16/I8/U8)");
        }
        ByteBuffer src = bytes(key);
        int n = arrayLength(t);
        try {
            return TensorDecoder.longs(src, t.dtype(), n);
        } catch (InternalError e) {
            throw changedUnderneath(key, e);
        }
    }

    /**
     * Loads {@code key} into a new NDArray owned by {@code manager}, with the file's shape:
     * float dtypes as FLOAT32, I64 as INT64, I32 and I16 as INT32, I8 as INT8, U8 as UINT8 and
     * BOOL as BOOLEAN. The array's memory belongs to PyTorch, not to the file or to Java.
     */
    public NDArray load(String key, NDManager manager) {
        if (manager == null) {
            throw new Ddpo4jException(file + ": no NDManager given to load tensor '" + key + "'");
        }
        TensorInfo t = info(key);
        ByteBuffer src = bytes(key);
        DataType type = djlType(t.dtype());
        int width = TensorDecoder.decodedBytes(t.dtype());
        long n = t.numel();
        // Stage through a small direct buffer: DJL's create(ByteBuffer) aliases the buffer's
        // memory instead of copying it, so the mapping itself must never reach it (a read-only
        // mapping written in place kills the JVM), and we clone or index-put into torch memory.
        int chunk = (int) Math.min(n, CHUNK_BYTES / width);
        ByteBuffer stage = ByteBuffer.allocateDirect(chunk * width).order(ByteOrder.nativeOrder());
        NDArray flat = null;
        try {
            if (chunk == n) {
                TensorDecoder.decode(src, t.dtype(), 0, chunk, stage);
                try (NDArray alias = manager.create(stage, t.djlShape(), type)) {
                    NDArray result = alias.duplicate();
                    result.setName(key);
                    return result;
                }
            }
            flat = manager.create(new Shape(n), type);
            for (long start = 0; start < n; start += chunk) {
                int count = (int) Math.min(chunk, n - start);
                TensorDecoder.decode(src, t.dtype(), start, count, stage);
                ByteBuffer part = stage.duplicate().limit(count * width);
                try (NDArray alias = manager.create(part, new Shape(count), type)) {
                    flat.set(new NDIndex().addSliceDim(start, start + count), alias);
                }
            }
            NDArray result = flat.reshape(t.djlShape());
            result.setName(key);
            return result;
        } catch (InternalError e) {
            throw changedUnderneath(key, e);
        } catch (Ddpo4jException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new Ddpo4jException(file + ": cannot create an NDArray for tensor '" + key + "': " + e, e);
        } finally {
            if (flat != null) {
                // The reshaped result shares flat's storage, which outlives this handle.
                flat.close();
            }
        }
    }

    /** Loads every tensor (see {@link #load}) into {@code manager}, keyed and sorted by name. */
    public Map<String, NDArray> loadAll(NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try {
            for (String key : keys) {
                out.put(key, load(key, manager));
            }
            return out;
        } catch (RuntimeException e) {
            out.values().forEach(NDArray::close);
            throw e;
        }
    }

    /** The DJL type {@link #load} creates for a safetensors dtype. */
    public static DataType djlType(SafeDType t) {
        return switch (t) {
            // A BF16 NDArray aborts the JVM in DJL on PyTorch, and ddpo4j computes in float32.
            case F64, F32, F16, BF16 -> DataType.FLOAT32;
            case I64 -> DataType.INT64;
            case I32, I16 -> DataType.INT32;
            case I8 -> DataType.INT8;
            case U8 -> DataType.UINT8;
            case BOOL -> DataType.BOOLEAN;
        };
    }

    /** Closes the file. Buffers from {@link #bytes} stay valid until garbage-collected. */
    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            throw new Ddpo4jException("cannot close safetensors file " + file + ": " + e, e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new Ddpo4jException(file + ": safetensors reader is closed");
        }
    }

    private int arrayLength(TensorInfo t) {
        long n = t.numel();
        if (n > MAX_ARRAY_LENGTH) {
            throw new Ddpo4jException(file + ": tensor '" + t.name() + "' has " + n
                    + " elements, too many for one Java array");
        }
        return (int) n;
    }

    private Ddpo4jException changedUnderneath(String key, InternalError e) {
        // The JVM turns SIGBUS on a mapping whose file shrank into an InternalError.
        return new Ddpo4jException(file + ": file changed (truncated?) while reading tensor '" + key + "'", e);
    }

    private static void closeQuietly(FileChannel ch, Exception primary) {
        try {
            ch.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
