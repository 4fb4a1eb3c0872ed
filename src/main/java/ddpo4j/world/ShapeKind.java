package ddpo4j.world;

import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of shape, all axis-aligned and filling a square box of side {@code size}: a disc, the
 * box itself, and an upright isosceles triangle (apex at the top middle, base the bottom edge).
 * Their fill ratios of the box (π/4 ≈ 0.785, 1, 0.5) are what the detector tells them apart by.
 */
public enum ShapeKind {
    CIRCLE("circle", "circles", Math.PI / 4),
    SQUARE("square", "squares", 1.0),
    TRIANGLE("triangle", "triangles", 0.5);

    private final String word;
    private final String plural;
    private final double fillRatio;

    ShapeKind(String word, String plural, double fillRatio) {
        this.word = word;
        this.plural = plural;
        this.fillRatio = fillRatio;
    }

    /** The singular noun used in captions ("circle"). */
    public String word() {
        return word;
    }

    /** The plural noun ("circles"). */
    public String plural() {
        return plural;
    }

    /** Area of the ideal shape over the area of its bounding box. */
    public double fillRatio() {
        return fillRatio;
    }

    /** Whether the point {@code (px, py)} lies in this shape drawn in the box {@code [x, x+size) × [y, y+size)}. */
    public boolean contains(double px, double py, double x, double y, double size) {
        double u = (px - x) / size; // box coordinates in [0, 1]
        double v = (py - y) / size;
        if (u < 0 || u >= 1 || v < 0 || v >= 1) {
            return false;
        }
        return switch (this) {
            case SQUARE -> true;
            case CIRCLE -> (u - 0.5) * (u - 0.5) + (v - 0.5) * (v - 0.5) <= 0.25;
            case TRIANGLE -> Math.abs(u - 0.5) <= v / 2; // apex (0.5, 0), base corners (0, 1) and (1, 1)
        };
    }

    /** The kind named {@code word}, singular or plural, any case. */
    public static Optional<ShapeKind> fromWord(String word) {
        String w = word.strip().toLowerCase(Locale.ROOT);
        for (ShapeKind k : values()) {
            if (k.word.equals(w) || k.plural.equals(w)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
