package ddpo4j.world;

import java.util.Locale;
import java.util.Optional;

/**
 * The named colours of the shapes world: the eight corners of the RGB cube plus mid gray, so any
 * two are at least 221 apart (Euclidean, 0–255 units; corners 255 apart). That margin is what lets
 * the detector classify soft, noisy model samples by nearest colour.
 */
public enum NamedColor {
    RED(255, 0, 0),
    GREEN(0, 255, 0),
    BLUE(0, 0, 255),
    YELLOW(255, 255, 0),
    MAGENTA(255, 0, 255),
    CYAN(0, 255, 255),
    WHITE(255, 255, 255),
    BLACK(0, 0, 0),
    GRAY(128, 128, 128);

    private final int r;
    private final int g;
    private final int b;

    NamedColor(int r, int g, int b) {
        this.r = r;
        this.g = g;
        this.b = b;
    }

    /** The colour's channel {@code c} (0 red, 1 green, 2 blue) in [0, 1]. */
    public float channel(int c) {
        return (c == 0 ? r : c == 1 ? g : b) / 255f;
    }

    /** The English word used in captions ("red"). */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Euclidean distance in 0–255 units to the colour {@code (r, g, b)} given in [0, 1]. */
    public double distance(float red, float green, float blue) {
        double dr = red * 255.0 - r;
        double dg = green * 255.0 - g;
        double db = blue * 255.0 - b;
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }

    /** The colour named {@code word} (any case; "grey" is gray), if any. */
    public static Optional<NamedColor> fromWord(String word) {
        String w = word.strip().toLowerCase(Locale.ROOT);
        if (w.equals("grey")) {
            w = "gray";
        }
        for (NamedColor c : values()) {
            if (c.word().equals(w)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
