package ddpo4j.world;

import ddpo4j.Ddpo4jException;
import java.util.List;

/**
 * Settings of the shapes world's generator.
 *
 * @param width image width in pixels
 * @param height image height in pixels
 * @param minShapes fewest shapes per image (all groups together)
 * @param maxShapes most shapes per image
 * @param maxGroups most colour × kind groups per image (1: every image is "N colour kind")
 * @param colors the shapes' colours
 * @param kinds the shapes' kinds
 * @param backgrounds background colours (a background is never the colour of a shape on it)
 * @param minSizeFraction smallest shape box side, as a fraction of min(width, height)
 * @param maxSizeFraction largest shape box side, likewise
 * @param backgroundInCaption probability that a caption names the background
 * @param articleForOne probability that a single shape is "a …" rather than "one …"
 * @param supersample 1: no anti-aliasing (exact colours); s > 1: s × s samples per pixel
 */
public record WorldConfig(int width, int height, int minShapes, int maxShapes, int maxGroups, List<NamedColor> colors,
        List<ShapeKind> kinds, List<NamedColor> backgrounds, double minSizeFraction, double maxSizeFraction,
        double backgroundInCaption, double articleForOne, int supersample) {

    /** The four shape colours of the counting prompts. */
    public static final List<NamedColor> SHAPE_COLORS = List.of(NamedColor.RED, NamedColor.GREEN, NamedColor.BLUE,
            NamedColor.YELLOW);

    /** Plain backgrounds and the shape colours (a coloured background excludes shapes of its colour). */
    public static final List<NamedColor> BACKGROUNDS = List.of(NamedColor.WHITE, NamedColor.BLACK, NamedColor.GRAY,
            NamedColor.RED, NamedColor.GREEN, NamedColor.BLUE, NamedColor.YELLOW);

    /**
     * 64 × 64, 1–4 shapes of one colour and kind (captions like the counting prompts), red, green,
     * blue, yellow circles, squares and triangles of 10–16 px, any of seven backgrounds named in half
     * the captions, "a" for one shape in half the captions, no anti-aliasing.
     */
    public static final WorldConfig DEFAULT = new WorldConfig(64, 64, 1, 4, 1, SHAPE_COLORS,
            List.of(ShapeKind.values()), BACKGROUNDS, 10 / 64.0, 16 / 64.0, 0.5, 0.5, 1);

    public WorldConfig {
        colors = List.copyOf(colors);
        kinds = List.copyOf(kinds);
        backgrounds = List.copyOf(backgrounds);
        if (width < 16 || height < 16) {
            throw new Ddpo4jException("images of at least 16 x 16 pixels, got " + width + "x" + height);
        }
        if (minShapes < 1 || maxShapes < minShapes || maxShapes > 10) {
            throw new Ddpo4jException("shape counts must satisfy 1 <= minShapes <= maxShapes <= 10, got "
                    + minShapes + ".." + maxShapes);
        }
        if (maxGroups < 1) {
            throw new Ddpo4jException("maxGroups must be >= 1, got " + maxGroups);
        }
        if (colors.isEmpty() || kinds.isEmpty() || backgrounds.isEmpty()) {
            throw new Ddpo4jException("colors, kinds and backgrounds must not be empty");
        }
        for (NamedColor bg : backgrounds) {
            if (colors.stream().allMatch(c -> c == bg)) {
                throw new Ddpo4jException("background " + bg.word() + " leaves no shape colour");
            }
        }
        if (!(0 < minSizeFraction && minSizeFraction <= maxSizeFraction && maxSizeFraction <= 0.5)) {
            throw new Ddpo4jException("size fractions must satisfy 0 < min <= max <= 0.5, got "
                    + minSizeFraction + ", " + maxSizeFraction);
        }
        if (minSize(width, height, minSizeFraction) < 6) {
            throw new Ddpo4jException("shapes smaller than 6 px cannot be told apart; raise minSizeFraction");
        }
        if (supersample < 1) {
            throw new Ddpo4jException("supersample must be >= 1, got " + supersample);
        }
    }

    private static int minSize(int w, int h, double fraction) {
        return (int) Math.round(Math.min(w, h) * fraction);
    }

    /** Smallest shape box side in pixels (10 at 64 × 64). */
    public int minSize() {
        return minSize(width, height, minSizeFraction);
    }

    /** Largest shape box side in pixels (16 at 64 × 64). */
    public int maxSize() {
        return Math.max(minSize(), (int) Math.round(Math.min(width, height) * maxSizeFraction));
    }

    /** Least empty space between two shapes' boxes (3 px at 64 × 64): blur must not merge them. */
    public int gap() {
        return Math.max(2, (int) Math.round(Math.min(width, height) * 0.05));
    }

    /** Least empty space between a shape's box and the image border (2 px at 64 × 64). */
    public int margin() {
        return Math.max(1, (int) Math.round(Math.min(width, height) * 0.03));
    }

    public WorldConfig withSize(int w, int h) {
        return new WorldConfig(w, h, minShapes, maxShapes, maxGroups, colors, kinds, backgrounds, minSizeFraction,
                maxSizeFraction, backgroundInCaption, articleForOne, supersample);
    }

    public WorldConfig withShapes(int min, int max, int groups) {
        return new WorldConfig(width, height, min, max, groups, colors, kinds, backgrounds, minSizeFraction,
                maxSizeFraction, backgroundInCaption, articleForOne, supersample);
    }

    public WorldConfig withSupersample(int s) {
        return new WorldConfig(width, height, minShapes, maxShapes, maxGroups, colors, kinds, backgrounds,
                minSizeFraction, maxSizeFraction, backgroundInCaption, articleForOne, s);
    }
}
