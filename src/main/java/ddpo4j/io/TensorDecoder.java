package ddpo4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * Decodes a range of elements of raw little-endian safetensors data into the element type ddpo4j
 * holds it in (float32 for every float dtype, int32 for I16, 0/1 bytes for BOOL).
 */
final class TensorDecoder {
    private TensorDecoder() {}

    /** Bytes per decoded element of {@code t}: what {@link #decode} writes per element. */
    static int decodedBytes(SafeDType t) {
        return switch (t) {
            case F64, F32, F16, BF16, I32, I16 -> 4;
            case I64 -> 8;
            case I8, U8, BOOL -> 1;
        };
    }

    /**
     * Decodes elements [start, start + count) of {@code src} (raw data of dtype {@code t}) into
     * {@code dst} from its position 0, in {@code dst}'s byte order.
     */
    static void decode(ByteBuffer src, SafeDType t, long start, int count, ByteBuffer dst) {
        int w = t.bytes();
        ByteBuffer s = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        s.limit(Math.toIntExact((start + count) * w)).position(Math.toIntExact(start * w));
        ByteBuffer d = dst.duplicate().order(dst.order());
        d.clear();
        switch (t) {
            // Typed bulk puts convert byte order if needed and are a plain copy when it matches.
            case F32 -> d.asFloatBuffer().put(s.asFloatBuffer());
            case I64 -> d.asLongBuffer().put(s.asLongBuffer());
            case I32 -> d.asIntBuffer().put(s.asIntBuffer());
            case I8, U8 -> d.put(s);
            case F64 -> {
                DoubleBuffer in = s.asDoubleBuffer();
                FloatBuffer out = d.asFloatBuffer();
                for (int i = 0; i < count; i++) {
                    out.put(i, (float) in.get(i));
                }
            }
            case F16 -> {
                ShortBuffer in = s.asShortBuffer();
                FloatBuffer out = d.asFloatBuffer();
                for (int i = 0; i < count; i++) {
                    out.put(i, HalfFloats.f16ToFloat(in.get(i)));
                }
            }
            case BF16 -> {
                ShortBuffer in = s.asShortBuffer();
                FloatBuffer out = d.asFloatBuffer();
                for (int i = 0; i < count; i++) {
                    out.put(i, HalfFloats.bf16ToFloat(in.get(i)));
                }
            }
            case I16 -> {
                // PyTorch via DJL aborts the JVM on INT16 tensors, so I16 is held as int32.
                ShortBuffer in = s.asShortBuffer();
                IntBuffer out = d.asIntBuffer();
                for (int i = 0; i < count; i++) {
                    out.put(i, in.get(i));
                }
            }
            case BOOL -> {
                // Any non-zero byte is true; torch's bool must only ever hold 0 or 1.
                for (int i = 0; i < count; i++) {
                    d.put(i, s.get(s.position() + i) != 0 ? (byte) 1 : (byte) 0);
                }
            }
        }
    }

    /** All elements of a float-dtype tensor as float32. */
    static float[] floats(ByteBuffer src, SafeDType t, int count) {
        ByteBuffer s = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[count];
        switch (t) {
            case F32 -> s.asFloatBuffer().get(out);
            case F64 -> {
                DoubleBuffer in = s.asDoubleBuffer();
                for (int i = 0; i < count; i++) {
                    out[i] = (float) in.get(i);
                }
            }
            case F16 -> {
                ShortBuffer in = s.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    out[i] = HalfFloats.f16ToFloat(in.get(i));
                }
            }
            case BF16 -> {
                ShortBuffer in = s.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    out[i] = HalfFloats.bf16ToFloat(in.get(i));
                }
            }
            default -> throw new IllegalArgumentException(t + " is not a float dtype");
        }
        return out;
    }

    /** All elements of an integer-dtype tensor as longs (U8 read as unsigned). */
    static long[] longs(ByteBuffer src, SafeDType t, int count) {
        ByteBuffer s = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[count];
        switch (t) {
            case I64 -> {
                LongBuffer in = s.asLongBuffer();
                in.get(out);
            }
            case I32 -> {
                IntBuffer in = s.asIntBuffer();
                for (int i = 0; i < count; i++) {
                    out[i] = in.get(i);
                }
            }
            case I16 -> {
                ShortBuffer in = s.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    out[i] = in.get(i);
                }
            }
            case I8 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = s.get(i);
                }
            }
            case U8 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = s.get(i) & 0xff;
                }
            }
            default -> throw new IllegalArgumentException(t + " is not an integer dtype");
        }
        return out;
    }
}
