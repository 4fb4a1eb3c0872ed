package ddpo4j.rewards.aesthetic;

/**
 * Pillow's {@code Image.resize(size, Image.BICUBIC)} on 8-bit RGB, bit for bit: the bicubic kernel
 * with a = -0.5, its support widened by the downscale factor (so downsampling is antialiased),
 * coefficients normalized per output pixel and rounded to 22-bit fixed point, a horizontal pass
 * then a vertical pass, each rounded and clamped to uint8 (Pillow's {@code Resample.c}).
 * transformers' CLIPImageProcessor resizes through exactly this.
 */
public final class PilResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double BICUBIC_SUPPORT = 2.0;
    private static final double A = -0.5;

    private PilResize() {}

    /**
     * Resizes an interleaved RGB image ({@code hwc[(y * width + x) * 3 + c]}, unsigned bytes).
     * The same size returns a copy, as Pillow does.
     */
    public static byte[] bicubic(byte[] hwc, int height, int width, int outHeight, int outWidth) {
        if (hwc.length != height * width * 3) {
            throw new IllegalArgumentException(hwc.length + " bytes is not a " + height + "x" + width + " RGB image");
        }
        if (outHeight <= 0 || outWidth <= 0) {
            throw new IllegalArgumentException("cannot resize to " + outHeight + "x" + outWidth);
        }
        byte[] img = hwc.clone();
        int h = height;
        int w = width;
        if (outWidth != w) {
            img = horizontal(img, h, w, coefficients(w, outWidth));
            w = outWidth;
        }
        if (outHeight != h) {
            img = vertical(img, h, w, coefficients(h, outHeight));
        }
        return img;
    }

    /** Pillow's {@code bicubic_filter}. */
    static double kernel(double x) {
        x = Math.abs(x);
        if (x < 1.0) {
            return ((A + 2.0) * x - (A + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * A;
        }
        return 0.0;
    }

    /** Per output index: first input index, tap count, and fixed-point weights ({@code precompute_coeffs}). */
    record Coefficients(int[] first, int[] count, int[][] weights) {}

    static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = BICUBIC_SUPPORT * filterScale;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        int[][] weights = new int[outSize][];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            // (int) truncates toward zero, as the C cast does
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double[] k = new double[xmax];
            double ww = 0.0;
            for (int x = 0; x < xmax; x++) {
                k[x] = kernel((x + xmin - center + 0.5) * ss);
                ww += k[x];
            }
            int[] fixed = new int[xmax];
            for (int x = 0; x < xmax; x++) {
                double v = ww != 0.0 ? k[x] / ww : k[x];
                // normalize_coeffs_8bpc: round half away from zero
                fixed[x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS)) : (int) (0.5 + v * (1 << PRECISION_BITS));
            }
            first[xx] = xmin;
            count[xx] = xmax;
            weights[xx] = fixed;
        }
        return new Coefficients(first, count, weights);
    }

    private static byte[] horizontal(byte[] in, int h, int w, Coefficients c) {
        int outW = c.first.length;
        byte[] out = new byte[h * outW * 3];
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < outW; xx++) {
                int[] k = c.weights[xx];
                for (int ch = 0; ch < 3; ch++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int x = 0; x < c.count[xx]; x++) {
                        ss += (in[(y * w + c.first[xx] + x) * 3 + ch] & 0xFF) * k[x];
                    }
                    out[(y * outW + xx) * 3 + ch] = clip8(ss);
                }
            }
        }
        return out;
    }

    private static byte[] vertical(byte[] in, int h, int w, Coefficients c) {
        int outH = c.first.length;
        byte[] out = new byte[outH * w * 3];
        for (int yy = 0; yy < outH; yy++) {
            int[] k = c.weights[yy];
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < 3; ch++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int y = 0; y < c.count[yy]; y++) {
                        ss += (in[((c.first[yy] + y) * w + x) * 3 + ch] & 0xFF) * k[y];
                    }
                    out[(yy * w + x) * 3 + ch] = clip8(ss);
                }
            }
        }
        return out;
    }

    private static byte clip8(int in) {
        int v = in >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
