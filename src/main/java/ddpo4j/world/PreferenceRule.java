package ddpo4j.world;

import java.util.Arrays;

/**
 * The hidden preference behind the aesthetic analog (issue 14, finding c): the shapes world's
 * stand-in for the human ratings LAION's predictor was fit to. A fixed, documented rule on pixels,
 * so it can be computed exactly on any image, a model's samples included, and serve as gold:
 *
 * <pre>
 *   background b  = per-channel median of the border pixels
 *   foreground    = pixels whose largest channel difference from b exceeds 0.25
 *   contrast      = |Y(mean foreground colour) − Y(b)|, Y = 0.299 R + 0.587 G + 0.114 B   (0..1)
 *   presence      = min(1, foreground fraction / 0.3)                                     (0..1)
 *   score         = 10 · (0.6 · contrast + 0.4 · presence)                                 (0..10)
 * </pre>
 *
 * Bold, high-contrast pictures that fill the frame score high (yellow shapes on black: contrast
 * 0.89); faint ones low (yellow on white: 0.11). An image with no foreground scores 0.
 */
public final class PreferenceRule {
    static final float FOREGROUND = 0.25f;
    static final double FULL_PRESENCE = 0.3;

    /** The rule's parts and score for one image. */
    public record Score(double contrast, double presence, double value) {}

    private PreferenceRule() {}

    /** @param chw RGB in [0, 1], channels first */
    public static Score score(float[] chw, int height, int width) {
        int hw = height * width;
        if (chw.length != 3 * hw) {
            throw new IllegalArgumentException("expected 3x" + height + "x" + width + " values, got " + chw.length);
        }
        float[] bg = new float[3];
        for (int c = 0; c < 3; c++) {
            bg[c] = borderMedian(chw, c * hw, height, width);
        }
        double[] sum = new double[3];
        int fg = 0;
        for (int i = 0; i < hw; i++) {
            float d = 0;
            for (int c = 0; c < 3; c++) {
                d = Math.max(d, Math.abs(chw[c * hw + i] - bg[c]));
            }
            if (d > FOREGROUND) {
                fg++;
                for (int c = 0; c < 3; c++) {
                    sum[c] += chw[c * hw + i];
                }
            }
        }
        if (fg == 0) {
            return new Score(0, 0, 0);
        }
        double contrast = Math.abs(luma(sum[0] / fg, sum[1] / fg, sum[2] / fg) - luma(bg[0], bg[1], bg[2]));
        double presence = Math.min(1, fg / (double) hw / FULL_PRESENCE);
        return new Score(contrast, presence, 10 * (0.6 * contrast + 0.4 * presence));
    }

    private static double luma(double r, double g, double b) {
        return 0.299 * r + 0.587 * g + 0.114 * b;
    }

    private static float borderMedian(float[] chw, int offset, int height, int width) {
        float[] v = new float[2 * width + 2 * (height - 2)];
        int k = 0;
        for (int x = 0; x < width; x++) {
            v[k++] = chw[offset + x];
            v[k++] = chw[offset + (height - 1) * width + x];
        }
        for (int y = 1; y < height - 1; y++) {
            v[k++] = chw[offset + y * width];
            v[k++] = chw[offset + y * width + width - 1];
        }
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
