package ddpo4j.rewards.aesthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Pillow's BICUBIC resize: kernel and coefficients by hand, and outputs Pillow 12.3 produced. */
class PilResizeTest {
    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static int[] ints(byte[] b) {
        int[] v = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            v[i] = b[i] & 0xFF;
        }
        return v;
    }

    @Test
    void kernelIsKeysCubicWithAMinusHalf() {
        assertEquals(1.0, PilResize.kernel(0));
        assertEquals(0.8671875, PilResize.kernel(0.25)); // (1.5 x - 2.5) x² + 1
        assertEquals(0.2265625, PilResize.kernel(-0.75));
        assertEquals(-0.0703125, PilResize.kernel(1.25)); // -0.5 ((x - 5) x + 8) x - 4)
        assertEquals(-0.0234375, PilResize.kernel(1.75));
        assertEquals(0.0, PilResize.kernel(2.0));
    }

    @Test
    void halvingWidensTheSupportToFourInputPixels() {
        // 8 -> 4: scale 2, support 2 x 2 = 4; output 0 is centred on input 1.0, so taps 0..4 at
        // distances (x + 0.5 - 1) / 2 = -0.25, 0.25, 0.75, 1.25, 1.75; their weights sum to 1.8671875.
        PilResize.Coefficients c = PilResize.coefficients(8, 4);
        assertEquals(0, c.first()[0]);
        assertEquals(5, c.count()[0]);
        double[] w = {0.8671875, 0.8671875, 0.2265625, -0.0703125, -0.0234375};
        int[] fixed = new int[5];
        for (int i = 0; i < 5; i++) {
            fixed[i] = (int) Math.copySign(Math.abs(w[i] / 1.8671875 * (1 << 22)) + 0.5, w[i]);
        }
        assertArrayEquals(fixed, c.weights()[0]);
        // output 1 is centred on 3.0: taps 0..6, weights sum 2.0234375
        assertEquals(0, c.first()[1]);
        assertEquals(7, c.count()[1]);
    }

    @Test
    void rampAndStepByHand() {
        // R: ramp 0, 10, ..., 70; G: step 0 0 0 0 255 255 255 255; B: constant 200.
        byte[] row = new byte[8 * 3];
        for (int x = 0; x < 8; x++) {
            row[x * 3] = (byte) (10 * x);
            row[x * 3 + 1] = (byte) (x < 4 ? 0 : 255);
            row[x * 3 + 2] = (byte) 200;
        }
        int[] out = ints(PilResize.bicubic(row, 1, 8, 1, 4));
        // R[0] = (10·0.8671875 + 20·0.2265625 - 30·0.0703125 - 40·0.0234375) / 1.8671875 = 5.44 -> 5
        // R[1] = 10·(0.2265625 + 2·0.8671875 + 3·0.8671875 + 4·0.2265625 - 5·0.0703125 - 6·0.0234375)
        //        / 2.0234375 = 24.59 -> 25
        // G[0] = -255·0.0234375 / 1.8671875 < 0 -> 0; G[1] = 255·0.1328125 / 2.0234375 = 16.7 -> 17
        assertArrayEquals(new int[] {5, 0, 200, 25, 17, 200, 45, 238, 200, 65, 255, 200}, out);
    }

    @Test
    void matchesPillowOnRandomImages() {
        // numpy default_rng(42) images resized by Pillow 12.3: Image.fromarray(a).resize((w, h), Image.BICUBIC)
        byte[] in = bytes(136, 38, 217, 22, 205, 251, 33, 198, 193, 255, 145, 167, 97, 86, 90, 112, 36, 22, 218, 110,
                194, 18, 205, 219, 141, 136, 0, 22, 14, 182, 134, 178, 235, 129, 147, 51, 181, 1, 28, 24, 140, 83, 199,
                134, 237, 98, 194, 249, 113, 68, 90, 188, 47, 13, 218, 194, 64, 151, 172, 183, 163, 130, 59, 201, 19,
                209, 98, 131, 22, 14, 204, 32, 110, 189, 249, 214, 41, 126, 76, 115, 41, 16, 23, 128, 139, 158, 236, 94,
                175, 146, 187, 46, 102, 120, 64, 237, 6, 206, 20, 200, 49, 88, 212, 164, 182);
        int[] down = {71, 141, 185, 88, 144, 189, 147, 107, 94, 137, 75, 86, 135, 143, 185, 97, 105, 103, 186, 134, 95,
            113, 115, 93, 136, 123, 160, 108, 126, 123, 110, 119, 118, 136, 92, 113};
        assertArrayEquals(down, ints(PilResize.bicubic(in, 5, 7, 3, 4)));

        byte[] in2 = bytes(77, 129, 160, 210, 35, 62, 161, 139, 202, 151, 131, 113, 58, 81, 81, 115, 30, 81);
        int[] up = {59, 136, 172, 127, 89, 121, 223, 31, 60, 192, 103, 155, 160, 158, 225, 86, 136, 156, 124, 96, 115,
            179, 45, 66, 165, 87, 135, 149, 122, 186, 139, 135, 126, 118, 111, 106, 89, 71, 77, 110, 57, 94, 127, 51,
            108, 166, 135, 110, 115, 118, 100, 45, 85, 83, 83, 41, 74, 116, 15, 69};
        assertArrayEquals(up, ints(PilResize.bicubic(in2, 2, 3, 4, 5)));
    }

    @Test
    void sameSizeIsACopy() {
        byte[] in = bytes(1, 2, 3, 4, 5, 6);
        byte[] out = PilResize.bicubic(in, 1, 2, 1, 2);
        assertArrayEquals(in, out);
        out[0] = 9;
        assertEquals(1, in[0]);
    }
}
