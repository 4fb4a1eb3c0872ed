package ddpo4j.world;

import ddpo4j.tensor.StrictGaussian;
import java.util.SplittableRandom;

/**
 * Makes a clean image look like a soft model sample: a Gaussian blur of {@code blurSigma} pixels
 * (separable, kernel radius ⌈3σ⌉, edges clamped) then independent Gaussian noise of standard
 * deviation {@code noiseStd} per value, clipped to [0, 1]. For measuring the detector's robustness.
 */
public record Degradation(double blurSigma, double noiseStd) {
    public static final Degradation NONE = new Degradation(0, 0);

    public Degradation {
        if (!(blurSigma >= 0 && noiseStd >= 0)) {
            throw new IllegalArgumentException("blur sigma and noise std must be >= 0");
        }
    }

    /** A degraded copy of the CHW image; {@code random} draws the noise. */
    public float[] apply(float[] chw, int height, int width, SplittableRandom random) {
        float[] out = blurSigma > 0 ? blur(chw, height, width, blurSigma) : chw.clone();
        if (noiseStd > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) Math.min(1, Math.max(0, out[i] + noiseStd * StrictGaussian.next(random)));
            }
        }
        return out;
    }

    /** The normalized Gaussian kernel of radius ⌈3σ⌉ (2r + 1 taps). */
    static double[] gaussianKernel(double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = StrictMath.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }

    static float[] blur(float[] chw, int height, int width, double sigma) {
        double[] k = gaussianKernel(sigma);
        int radius = k.length / 2;
        int plane = height * width;
        float[] tmp = new float[chw.length];
        float[] out = new float[chw.length];
        for (int c = 0; c < 3; c++) {
            int o = c * plane;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double acc = 0;
                    for (int i = -radius; i <= radius; i++) {
                        acc += k[i + radius] * chw[o + y * width + Math.min(width - 1, Math.max(0, x + i))];
                    }
                    tmp[o + y * width + x] = (float) acc;
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double acc = 0;
                    for (int i = -radius; i <= radius; i++) {
                        acc += k[i + radius] * tmp[o + Math.min(height - 1, Math.max(0, y + i)) * width + x];
                    }
                    out[o + y * width + x] = (float) acc;
                }
            }
        }
        return out;
    }
}
