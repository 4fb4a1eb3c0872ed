package ddpo4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The quantizer is torch's {@code (x * 255).round().clamp(0, 255).to(uint8)}. */
class PixelQuantizerTest {
    /** {@code (k + 0.5f) / 255f}: x * 255 is exactly k + 0.5 in float32 for every k (checked, not assumed). */
    static float tie(int k) {
        float x = (k + 0.5f) / 255f;
        assertEquals(k + 0.5f, x * 255f, 0, "not a float32 tie for k = " + k);
        return x;
    }

    @Test
    void everyTieRoundsToEven() {
        for (int k = 0; k < 255; k++) {
            int even = k % 2 == 0 ? k : k + 1;
            assertEquals(even, PixelQuantizer.toUint8(tie(k)), "(" + k + ".5) rounds half to even; Math.round gives " + (k + 1));
        }
        assertEquals(128, PixelQuantizer.toUint8(0.5f)); // 127.5 -> 128
        assertEquals(2, PixelQuantizer.toUint8(tie(2)));
    }

    @Test
    void clampsAndMapsNanToZero() {
        assertEquals(0, PixelQuantizer.toUint8(-0.2f));
        assertEquals(0, PixelQuantizer.toUint8(-0.5f / 255f)); // -0.5 -> -0, not -1
        assertEquals(255, PixelQuantizer.toUint8(1.7f));
        assertEquals(255, PixelQuantizer.toUint8(Float.POSITIVE_INFINITY));
        assertEquals(0, PixelQuantizer.toUint8(Float.NEGATIVE_INFINITY));
        assertEquals(0, PixelQuantizer.toUint8(Float.NaN));
    }

    @Test
    void eightBitValuesRoundTripThroughFloat() {
        byte[] all = new byte[3 * 256];
        for (int v = 0; v < 256; v++) {
            assertEquals(v, PixelQuantizer.toUint8(v / 255f));
            all[3 * v] = (byte) v;
            all[3 * v + 1] = (byte) (255 - v);
            all[3 * v + 2] = (byte) (v * 7);
        }
        Rgb8Image img = new Rgb8Image(16, 16, all);
        assertEquals(img, PixelQuantizer.toRgb8(PixelQuantizer.toChw(img), 0, 16, 16));
    }

    @Test
    void interleavesChwAtAnOffsetToHwc() {
        // two 1x2 images back to back; the second one, channel c pixel p = (c * 2 + p + 1) * 10 / 255
        float[] chw = new float[12];
        for (int i = 0; i < 6; i++) {
            chw[6 + i] = (i + 1) * 10 / 255f;
        }
        Rgb8Image img = PixelQuantizer.toRgb8(chw, 6, 1, 2);
        assertArrayEquals(new byte[] {10, 30, 50, 20, 40, 60}, img.rgb()); // R G B of pixel 0, then pixel 1
        assertEquals(40, img.get(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> PixelQuantizer.toRgb8(chw, 7, 1, 2));
    }
}
