package ddpo4j.pretrain;

import ddpo4j.world.Degradation;
import ddpo4j.world.PlacedShape;
import ddpo4j.world.Scene;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes a clean render of the shapes world look like a diffusion sample, for training the judge:
 * shapes cut by the border (the scene shifted before rendering, {@link #shift}), off colours (per-channel gain and
 * offset, then a pull towards gray: the bundled model draws orange for red or yellow, pale blues,
 * tinted backgrounds), soft edges (Gaussian blur) and speckle (Gaussian noise), each applied with
 * its own probability; {@link #apply} does the pixel changes. Every draw comes from the {@link SplittableRandom} passed in.
 *
 * @param shiftProbability probability of a shift of up to {@code maxShift} px in x and y
 * @param maxShift largest shift in pixels
 * @param jitterProbability probability of colour jitter
 * @param blurProbability probability of a blur of sigma uniform in [0.3, maxBlur]
 * @param maxBlur largest blur sigma in pixels
 * @param noiseProbability probability of noise of std uniform in [0, maxNoise]
 * @param maxNoise largest noise std (values in [0, 1])
 */
public record JudgeAugmentation(double shiftProbability, int maxShift, double jitterProbability,
        double blurProbability, double maxBlur, double noiseProbability, double maxNoise) implements ImageTransform {

    /** The recipe of the shipped judge. */
    public static final JudgeAugmentation DEFAULT = new JudgeAugmentation(0.5, 5, 0.6, 0.6, 2.0, 0.5, 0.1);

    /** No augmentation: clean renders. */
    public static final JudgeAugmentation NONE = new JudgeAugmentation(0, 0, 0, 0, 0, 0, 0);

    /** A copy of the CHW image with colour jitter, blur and noise, each with its probability. */
    @Override
    public float[] apply(float[] chw, int height, int width, SplittableRandom r) {
        float[] x = chw;
        if (r.nextDouble() < jitterProbability) {
            x = jitter(x, height * width, r);
        }
        double blur = r.nextDouble() < blurProbability ? 0.3 + r.nextDouble() * (maxBlur - 0.3) : 0;
        double noise = r.nextDouble() < noiseProbability ? r.nextDouble() * maxNoise : 0;
        if (blur > 0 || noise > 0) {
            x = new Degradation(blur, noise).apply(x, height, width, r);
        }
        return x == chw ? chw.clone() : x;
    }

    /**
     * The scene moved by up to {@code maxShift} px in x and y (with probability
     * {@code shiftProbability}): shapes near the border are then cut by it, and the ground truth
     * (counts, centres) moves with them. The renderer clips what falls outside.
     */
    public Scene shift(Scene scene, SplittableRandom r) {
        if (!(r.nextDouble() < shiftProbability)) {
            return scene;
        }
        int dx = r.nextInt(2 * maxShift + 1) - maxShift;
        int dy = r.nextInt(2 * maxShift + 1) - maxShift;
        List<PlacedShape> moved = scene.shapes().stream()
                .map(s -> new PlacedShape(s.kind(), s.color(), s.x() + dx, s.y() + dy, s.size())).toList();
        return new Scene(scene.width(), scene.height(), scene.background(), moved, scene.spec());
    }

    /**
     * Per channel {@code a·x + b} (a in [0.7, 1], b in [-0.05, 0.25]), then a blend towards each
     * pixel's gray by up to 40 %: red may turn orange-red, yellow orange-yellow, blue pale.
     */
    static float[] jitter(float[] chw, int plane, SplittableRandom r) {
        float[] gain = new float[3];
        float[] offset = new float[3];
        for (int c = 0; c < 3; c++) {
            gain[c] = (float) (0.7 + 0.3 * r.nextDouble());
            offset[c] = (float) (-0.05 + 0.3 * r.nextDouble());
        }
        float keep = (float) (0.6 + 0.4 * r.nextDouble());
        float[] out = new float[chw.length];
        for (int p = 0; p < plane; p++) {
            float[] v = new float[3];
            float gray = 0;
            for (int c = 0; c < 3; c++) {
                v[c] = chw[c * plane + p] * gain[c] + offset[c];
                gray += v[c] / 3;
            }
            for (int c = 0; c < 3; c++) {
                out[c * plane + p] = Math.min(1f, Math.max(0f, gray + keep * (v[c] - gray)));
            }
        }
        return out;
    }
}
