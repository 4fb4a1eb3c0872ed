package ddpo4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    @Test
    void f16HandComputedValues() {
        assertBits(1.0f, HalfFloats.f16ToFloat(0x3C00));
        assertBits(-2.0f, HalfFloats.f16ToFloat(0xC000));
        assertBits(65504f, HalfFloats.f16ToFloat(0x7BFF));
        assertBits((float) 5.960464477539063e-8, HalfFloats.f16ToFloat(0x0001)); // smallest subnormal
        assertBits(0x1p-24f * 1023, HalfFloats.f16ToFloat(0x03FF)); // largest subnormal
        assertBits(0x1p-14f, HalfFloats.f16ToFloat(0x0400)); // smallest normal
        assertBits(Float.POSITIVE_INFINITY, HalfFloats.f16ToFloat(0x7C00));
        assertBits(Float.NEGATIVE_INFINITY, HalfFloats.f16ToFloat(0xFC00));
        assertBits(0.0f, HalfFloats.f16ToFloat(0x0000));
        assertBits(-0.0f, HalfFloats.f16ToFloat(0x8000));
        assertBits(0.333251953125f, HalfFloats.f16ToFloat(0x3555));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat(0x7E00)));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat(0x7C01)));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat(0xFFFF)));
        // Only the low 16 bits count, so sign-extended shorts work too.
        assertBits(-2.0f, HalfFloats.f16ToFloat((short) 0xC000));
    }

    @Test
    void f16NarrowingHandComputedValues() {
        assertEquals(0x3C00, HalfFloats.floatToF16(1.0f) & 0xffff);
        assertEquals(0xC000, HalfFloats.floatToF16(-2.0f) & 0xffff);
        assertEquals(0x7BFF, HalfFloats.floatToF16(65504f) & 0xffff);
        assertEquals(0x7BFF, HalfFloats.floatToF16(65519.99f) & 0xffff);
        assertEquals(0x7C00, HalfFloats.floatToF16(65520f) & 0xffff); // tie rounds to even = inf
        assertEquals(0x7C00, HalfFloats.floatToF16(1e10f) & 0xffff);
        assertEquals(0xFC00, HalfFloats.floatToF16(Float.NEGATIVE_INFINITY) & 0xffff);
        assertEquals(0x0001, HalfFloats.floatToF16(0x1p-24f) & 0xffff);
        assertEquals(0x0000, HalfFloats.floatToF16(0x1p-25f) & 0xffff); // tie to even: 0
        assertEquals(0x0001, HalfFloats.floatToF16(0x1.000002p-25f) & 0xffff); // just above the tie
        assertEquals(0x0002, HalfFloats.floatToF16(0x1.8p-24f) & 0xffff); // 1.5 units: tie to even 2
        assertEquals(0x0002, HalfFloats.floatToF16(0x1.4p-23f) & 0xffff); // 2.5 units: tie to even 2
        assertEquals(0x0400, HalfFloats.floatToF16(0x1.ffcp-15f) & 0xffff); // rounds up into the normals
        assertEquals(0x8000, HalfFloats.floatToF16(-0.0f) & 0xffff);
        assertEquals(0x3C00, HalfFloats.floatToF16(1.00048828125f) & 0xffff); // 1 + 2^-11: tie, even
        assertEquals(0x3C02, HalfFloats.floatToF16(1.00146484375f) & 0xffff); // 1 + 3*2^-11: tie, up
        short nan = HalfFloats.floatToF16(Float.intBitsToFloat(0x7f800001)); // payload only in low bits
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat(nan)));
    }

    @Test
    void everyF16PatternSurvivesWideningAndNarrowing() {
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.f16ToFloat(h);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(f))));
            } else {
                assertEquals(h, HalfFloats.floatToF16(f) & 0xffff, "pattern " + Integer.toHexString(h));
            }
        }
    }

    @Test
    void f16AgreesWithPyTorchOnEveryPatternAndRandomFloats() {
        try (NDManager m = NDManager.newBaseManager()) {
            ByteBuffer halves = ByteBuffer.allocateDirect(0x20000).order(ByteOrder.nativeOrder());
            for (int h = 0; h < 0x10000; h++) {
                halves.putShort(2 * h, (short) h);
            }
            // DJL handles FLOAT16 arrays (only BF16 aborts), so torch can serve as the reference.
            NDArray half = m.create(halves, new Shape(0x10000), DataType.FLOAT16);
            float[] torch = half.toType(DataType.FLOAT32, false).toFloatArray();
            for (int h = 0; h < 0x10000; h++) {
                float ours = HalfFloats.f16ToFloat(h);
                if (Float.isNaN(torch[h])) {
                    assertTrue(Float.isNaN(ours), Integer.toHexString(h));
                } else {
                    assertBits(torch[h], ours);
                }
            }

            Random rnd = new Random(42);
            float[] in = new float[200_000];
            for (int i = 0; i < in.length; i++) {
                // Half the values near the f16 range, half arbitrary bit patterns.
                in[i] = i % 2 == 0
                        ? (float) (rnd.nextGaussian() * Math.pow(2, rnd.nextInt(40) - 26))
                        : Float.intBitsToFloat(rnd.nextInt());
            }
            ByteBuffer narrowed = m.create(in).toType(DataType.FLOAT16, false).toByteBuffer();
            for (int i = 0; i < in.length; i++) {
                int expected = narrowed.getShort(2 * i) & 0xffff;
                int ours = HalfFloats.floatToF16(in[i]) & 0xffff;
                if (Float.isNaN(in[i])) {
                    assertTrue(Float.isNaN(HalfFloats.f16ToFloat(ours)));
                } else {
                    assertEquals(expected, ours, "float bits " + Integer.toHexString(Float.floatToRawIntBits(in[i])));
                }
            }
        }
    }

    @Test
    void bf16Values() {
        assertBits(1.0f, HalfFloats.bf16ToFloat(0x3F80));
        assertBits(-2.0f, HalfFloats.bf16ToFloat(0xC000));
        assertBits(Float.POSITIVE_INFINITY, HalfFloats.bf16ToFloat(0x7F80));
        assertBits(Float.intBitsToFloat(0x00010000), HalfFloats.bf16ToFloat(0x0001)); // subnormal
        assertBits(-0.0f, HalfFloats.bf16ToFloat(0x8000));
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(0x7FC0)));

        assertEquals(0x3F80, HalfFloats.floatToBf16(1.0f) & 0xffff);
        assertEquals(0x3F80, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F808000)) & 0xffff); // tie, even
        assertEquals(0x3F82, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F818000)) & 0xffff); // tie, odd: up
        assertEquals(0x3F81, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F808001)) & 0xffff);
        assertEquals(0x7F80, HalfFloats.floatToBf16(Float.MAX_VALUE) & 0xffff); // rounds to inf
        short nan = HalfFloats.floatToBf16(Float.intBitsToFloat(0x7f800001));
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(nan)));
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.bf16ToFloat(h);
            if (!Float.isNaN(f)) {
                assertEquals(h, HalfFloats.floatToBf16(f) & 0xffff);
            }
        }
    }

    private static void assertBits(float expected, float actual) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                "expected " + expected + " got " + actual);
    }
}
