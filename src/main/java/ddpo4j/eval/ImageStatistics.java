package ddpo4j.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Image statistics no reward asks for, logged every epoch as an over-optimization guard: a policy
 * that games a reward tends to drift in what the reward ignores (washed-out or saturated images,
 * collapsed palettes, noise or text-like texture), and these move before anyone looks at a grid.
 * Each is the mean over the epoch's images of:
 * <ul>
 *   <li>{@code brightness}: mean luma (Rec. 601 weights) in [0, 1];</li>
 *   <li>{@code color_entropy}: Shannon entropy in bits of the image's colours quantized to 4 levels
 *       per channel (64 bins; 0 for one flat colour, at most 6);</li>
 *   <li>{@code edge_density}: the fraction of pixels whose luma differs from its right or lower
 *       neighbour's by more than 0.1.</li>
 * </ul>
 */
public final class ImageStatistics {
    static final double EDGE_STEP = 0.1;
    /** How many numbers {@link #sums} holds. */
    public static final int SUMS = 4;

    private double brightness;
    private double entropy;
    private double edges;
    private double images;

    /** The running sums (brightness, entropy, edge density, images), to send elsewhere. */
    public double[] sums() {
        return new double[] {brightness, entropy, edges, images};
    }

    /** Statistics from {@link #sums}. */
    public static ImageStatistics ofSums(double[] sums) {
        ImageStatistics s = new ImageStatistics();
        s.brightness = sums[0];
        s.entropy = sums[1];
        s.edges = sums[2];
        s.images = sums[3];
        return s;
    }

    /** Adds {@code other}'s images (partial sums are added in call order: merge batches in batch order). */
    public void merge(ImageStatistics other) {
        brightness += other.brightness;
        entropy += other.entropy;
        edges += other.edges;
        images += other.images;
    }

    /** Adds RGB images, float CHW in [0, 1], all {@code height} x {@code width}. */
    public void add(List<float[]> chwImages, int height, int width) {
        for (float[] img : chwImages) {
            add(img, height, width);
        }
    }

    private void add(float[] img, int h, int w) {
        int n = h * w;
        double[] luma = new double[n];
        int[] bins = new int[64];
        double sum = 0;
        for (int p = 0; p < n; p++) {
            double r = clamp(img[p]);
            double g = clamp(img[n + p]);
            double b = clamp(img[2 * n + p]);
            luma[p] = 0.299 * r + 0.587 * g + 0.114 * b;
            sum += luma[p];
            bins[level(r) * 16 + level(g) * 4 + level(b)]++;
        }
        double bits = 0;
        for (int c : bins) {
            if (c > 0) {
                double q = (double) c / n;
                bits -= q * Math.log(q) / Math.log(2);
            }
        }
        int edgePixels = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = luma[y * w + x];
                boolean right = x + 1 < w && Math.abs(v - luma[y * w + x + 1]) > EDGE_STEP;
                boolean down = y + 1 < h && Math.abs(v - luma[(y + 1) * w + x]) > EDGE_STEP;
                if (right || down) {
                    edgePixels++;
                }
            }
        }
        brightness += sum / n;
        entropy += bits;
        edges += (double) edgePixels / n;
        images++;
    }

    private static double clamp(float v) {
        return Math.max(0, Math.min(1, v));
    }

    private static int level(double v) {
        return Math.min(3, (int) (v * 4));
    }

    /** {@code image.brightness}, {@code image.color_entropy}, {@code image.edge_density}; empty with no image. */
    public Map<String, Object> toMetrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (images > 0) {
            m.put("image.brightness", brightness / images);
            m.put("image.color_entropy", entropy / images);
            m.put("image.edge_density", edges / images);
        }
        return m;
    }
}
