package ddpo4j.world;

import java.util.Arrays;

/**
 * Draws a {@link Scene} as a float CHW RGB image in [0, 1] with its own rasterizer instead of
 * Java2D: a pixel takes a shape's colour when its centre lies inside the shape, so the pixels are
 * a pure function of the geometry, identical on every JDK (Java2D's rasterizer has changed between
 * releases, which would change pretraining data made from the same seed).
 *
 * <p>With {@code supersample} = 1 (the default) there is no anti-aliasing: every pixel is exactly
 * one named colour, so colour classification and connected components on a clean image are exact.
 * With {@code supersample} = s > 1 each pixel is the mean of s × s sub-pixel samples (anti-aliased
 * edges); edge pixels are then mixtures that the detector leaves unclassified (or, for opposite
 * colours such as yellow on blue, classifies as gray) and the minimum component area drops.
 */
public final class SceneRenderer {
    private SceneRenderer() {}

    public static float[] render(Scene scene, int supersample) {
        if (supersample < 1) {
            throw new IllegalArgumentException("supersample must be >= 1, got " + supersample);
        }
        int w = scene.width();
        int h = scene.height();
        int plane = w * h;
        float[] chw = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            Arrays.fill(chw, c * plane, (c + 1) * plane, scene.background().channel(c));
        }
        int s = supersample;
        float weight = 1f / (s * s);
        for (PlacedShape shape : scene.shapes()) {
            int x1 = Math.min(w, shape.x() + shape.size());
            int y1 = Math.min(h, shape.y() + shape.size());
            for (int y = Math.max(0, shape.y()); y < y1; y++) {
                for (int x = Math.max(0, shape.x()); x < x1; x++) {
                    int inside = 0;
                    for (int sy = 0; sy < s; sy++) {
                        for (int sx = 0; sx < s; sx++) {
                            if (shape.kind().contains(x + (sx + 0.5) / s, y + (sy + 0.5) / s, shape.x(), shape.y(),
                                    shape.size())) {
                                inside++;
                            }
                        }
                    }
                    if (inside == 0) {
                        continue;
                    }
                    float a = inside * weight;
                    int p = y * w + x;
                    for (int c = 0; c < 3; c++) {
                        float old = chw[c * plane + p];
                        chw[c * plane + p] = a == 1f ? shape.color().channel(c) : old + a * (shape.color().channel(c) - old);
                    }
                }
            }
        }
        return chw;
    }
}
