package ddpo4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageStatisticsTest {
    private static float[] image(int h, int w, java.util.function.IntFunction<float[]> rgbAt) {
        float[] chw = new float[3 * h * w];
        for (int p = 0; p < h * w; p++) {
            float[] rgb = rgbAt.apply(p);
            for (int c = 0; c < 3; c++) {
                chw[c * h * w + p] = rgb[c];
            }
        }
        return chw;
    }

    private static Map<String, Object> stats(float[] img, int h, int w) {
        ImageStatistics s = new ImageStatistics();
        s.add(List.of(img), h, w);
        return s.toMetrics();
    }

    @Test
    void aFlatImageHasNoEntropyAndNoEdges() {
        Map<String, Object> m = stats(image(4, 4, p -> new float[] {1f, 1f, 1f}), 4, 4);
        assertEquals(1.0, (double) m.get("image.brightness"), 1e-12);
        assertEquals(0.0, (double) m.get("image.color_entropy"));
        assertEquals(0.0, (double) m.get("image.edge_density"));
    }

    @Test
    void twoHalvesAreOneBitAndACheckerboardIsAllEdges() {
        // left half black, right half white, 4x4: one edge column (x = 1 differs from x = 2)
        Map<String, Object> halves = stats(image(4, 4, p -> p % 4 < 2 ? new float[] {0, 0, 0} : new float[] {1, 1, 1}),
                4, 4);
        assertEquals(1.0, (double) halves.get("image.color_entropy"), 1e-12);
        assertEquals(4.0 / 16, (double) halves.get("image.edge_density"), 1e-12);
        assertEquals(0.5, (double) halves.get("image.brightness"), 1e-12);
        Map<String, Object> checker = stats(image(4, 4, p -> (p % 4 + p / 4) % 2 == 0 ? new float[] {0, 0, 0}
                : new float[] {1, 1, 1}), 4, 4);
        // every pixel differs from its right or lower neighbour, except the corner, which has neither
        assertEquals(15.0 / 16, (double) checker.get("image.edge_density"), 1e-12);
    }

    @Test
    void pureRedHasRec601Luma() {
        Map<String, Object> m = stats(image(2, 2, p -> new float[] {1, 0, 0}), 2, 2);
        assertEquals(0.299, (double) m.get("image.brightness"), 1e-12);
        assertEquals(Map.of(), new ImageStatistics().toMetrics());
    }
}
