package ddpo4j.world;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Answers "how many shapes of this colour and kind?" from pixels alone:
 *
 * <ol>
 *   <li>each pixel gets the nearest {@link NamedColor} if it lies within {@code tolerance}, else none;
 *   <li>the background is the most frequent colour;
 *   <li>pixels of each shape colour other than the background form components (flood fill,
 *       pixels up to {@link #LINK} px apart joined, so noise holes do not split a shape);
 *   <li>{@link KindClassifier} measures each component's soft mask (its area through blur) and
 *       picks the kind whose template fits it best; components whose soft area is under
 *       {@code minAreaFraction} of the image are noise and dropped.
 * </ol>
 *
 * On clean images the fill ratio of the bounding box alone (circle π/4, square 1, triangle 0.5)
 * would do; it is reported in {@link DetectedShape#fill()}, but blur rounds squares' corners and
 * eats triangles' tips, so on soft images it fails where the template fit does not (measured in
 * README). Shapes are assumed axis-aligned and at least 3 px apart, as the generator draws them.
 * Thread-safe.
 */
public final class ShapeDetector {
    private static final NamedColor[] PALETTE = NamedColor.values();
    /** Pixels of a colour up to this many pixels apart (Chebyshev) join one component. */
    static final int LINK = 2;

    private final DetectorConfig config;
    private final boolean[] isShapeColor = new boolean[PALETTE.length];

    public ShapeDetector(DetectorConfig config) {
        this.config = config;
        config.shapeColors().forEach(c -> isShapeColor[c.ordinal()] = true);
    }

    /** A detector with {@link DetectorConfig#DEFAULT}. */
    public ShapeDetector() {
        this(DetectorConfig.DEFAULT);
    }

    public DetectorConfig config() {
        return config;
    }

    /** Detects the shapes of a float CHW RGB image in [0, 1] of {@code height} × {@code width}. */
    public Detection detect(float[] chw, int height, int width) {
        return detect(chw, 0, height, width);
    }

    /** As {@link #detect(float[], int, int)} for the image starting at {@code offset} (a batch array). */
    public Detection detect(float[] chw, int offset, int height, int width) {
        int plane = height * width;
        if (offset < 0 || chw.length < offset + 3 * plane) {
            throw new IllegalArgumentException("array of " + chw.length + " floats holds no 3x" + height + "x" + width
                    + " image at offset " + offset);
        }
        // 1. nearest named colour within tolerance (-1: none)
        int[] label = new int[plane];
        int[] histogram = new int[PALETTE.length];
        for (int p = 0; p < plane; p++) {
            label[p] = classify(chw[offset + p], chw[offset + plane + p], chw[offset + 2 * plane + p]);
            if (label[p] >= 0) {
                histogram[label[p]]++;
            }
        }
        // 2. background = most frequent colour
        int bg = 0;
        for (int c = 1; c < PALETTE.length; c++) {
            if (histogram[c] > histogram[bg]) {
                bg = c;
            }
        }
        // 3. components per shape colour (ids: component number per pixel, -1 outside any)
        int minArea = (int) Math.ceil(config.minAreaFraction() * plane);
        int[] ids = new int[plane];
        Arrays.fill(ids, -1);
        int[] stack = new int[plane];
        List<int[]> boxes = new ArrayList<>(); // per component: colour, area, x0, y0, x1, y1
        for (int start = 0; start < plane; start++) {
            int c = label[start];
            if (c < 0 || c == bg || !isShapeColor[c] || ids[start] >= 0) {
                continue;
            }
            int id = boxes.size();
            int[] box = {c, 0, width, height, -1, -1};
            boxes.add(box);
            int top = 0;
            stack[top++] = start;
            ids[start] = id;
            while (top > 0) {
                int p = stack[--top];
                int x = p % width;
                int y = p / width;
                box[1]++;
                box[2] = Math.min(box[2], x);
                box[3] = Math.min(box[3], y);
                box[4] = Math.max(box[4], x);
                box[5] = Math.max(box[5], y);
                for (int dy = -LINK; dy <= LINK; dy++) {
                    int ny = y + dy;
                    if (ny < 0 || ny >= height) {
                        continue;
                    }
                    for (int dx = -LINK; dx <= LINK; dx++) {
                        int nx = x + dx;
                        int q = ny * width + nx;
                        if (nx >= 0 && nx < width && ids[q] < 0 && label[q] == c) {
                            ids[q] = id;
                            stack[top++] = q;
                        }
                    }
                }
            }
        }
        // 4. kind of every component large enough to be a shape
        List<DetectedShape> shapes = new ArrayList<>();
        for (int id = 0; id < boxes.size(); id++) {
            int[] b = boxes.get(id);
            if (b[1] < Math.max(2, minArea / 8)) {
                continue; // a speck: not worth fitting
            }
            int bw = b[4] - b[2] + 1;
            int bh = b[5] - b[3] + 1;
            KindClassifier.Fit fit = KindClassifier.classify(chw, offset, height, width, ids, id, b[2], b[3], bw, bh,
                    PALETTE[b[0]], PALETTE[bg], config.tolerance());
            if (fit.mass() < minArea) {
                continue;
            }
            shapes.add(new DetectedShape(PALETTE[b[0]], fit.kind(), b[1], fit.centerX(), fit.centerY(), b[2], b[3], bw,
                    bh, b[1] / (double) (bw * bh), fit.mass(), fit.scores()[fit.kind().ordinal()]));
        }
        return new Detection(PALETTE[bg], shapes);
    }

    /** Shapes of {@code color} and {@code kind} in the image. */
    public int count(float[] chw, int height, int width, NamedColor color, ShapeKind kind) {
        return detect(chw, height, width).count(color, kind);
    }

    private int classify(float r, float g, float b) {
        int best = -1;
        double bestD = config.tolerance();
        for (int c = 0; c < PALETTE.length; c++) {
            double d = PALETTE[c].distance(r, g, b);
            if (d <= bestD) {
                bestD = d;
                best = c;
            }
        }
        return best;
    }
}
