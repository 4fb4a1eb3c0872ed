package ddpo4j.world;

import java.util.List;

/**
 * Tolerances of the {@link ShapeDetector}.
 *
 * @param tolerance a pixel belongs to the nearest named colour only if it is within this Euclidean
 *     distance (0–255 units); named colours are ≥ 221 apart, so up to 110 no pixel can match two.
 *     Edge pixels of soft images (mixtures of shape and background) fall outside every ball and
 *     are left out, which shrinks shapes evenly instead of gluing them to the background
 * @param minAreaFraction components smaller than this fraction of the image are noise, not shapes
 *     (0.005 = 20 px at 64 × 64; the smallest generated shape, a 10 px triangle, has 50)
 * @param shapeColors the colours shapes may have; other colours (white, black, gray by default)
 *     are only ever backgrounds, so the gray fringe where yellow meets blue is never a shape
 */
public record DetectorConfig(double tolerance, double minAreaFraction, List<NamedColor> shapeColors) {
    /** Chromatic colours (the six non-gray corners of the RGB cube) may be shapes. */
    public static final List<NamedColor> CHROMATIC = List.of(NamedColor.RED, NamedColor.GREEN, NamedColor.BLUE,
            NamedColor.YELLOW, NamedColor.MAGENTA, NamedColor.CYAN);

    /** Tolerance 100, minimum area 0.5 % of the image, chromatic shape colours. */
    public static final DetectorConfig DEFAULT = new DetectorConfig(100, 0.005, CHROMATIC);

    public DetectorConfig {
        shapeColors = List.copyOf(shapeColors);
        if (!(tolerance > 0 && tolerance <= 110)) {
            throw new IllegalArgumentException("tolerance must be in (0, 110] (half the distance between named colours), got "
                    + tolerance);
        }
        if (!(minAreaFraction >= 0 && minAreaFraction < 0.5)) {
            throw new IllegalArgumentException("minAreaFraction must be in [0, 0.5), got " + minAreaFraction);
        }
    }

    public DetectorConfig withTolerance(double t) {
        return new DetectorConfig(t, minAreaFraction, shapeColors);
    }

    public DetectorConfig withMinAreaFraction(double f) {
        return new DetectorConfig(tolerance, f, shapeColors);
    }
}
