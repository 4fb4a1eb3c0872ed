package ddpo4j.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads captions of the {@link Captions} grammar back into a {@link SceneSpec}, leniently about
 * case, a final period, "an", "grey", digits and an Oxford comma. Anything else (an unknown word,
 * a missing colour, "a photo of …") is not a caption of this world: empty.
 */
public final class CaptionParser {
    private CaptionParser() {}

    public static Optional<SceneSpec> parse(String caption) {
        String s = caption.strip().toLowerCase(Locale.ROOT).replaceAll("[.!]+$", "").replaceAll("\\s+", " ");
        NamedColor background = null;
        int on = s.lastIndexOf(" on ");
        if (on >= 0 && s.endsWith(" background")) {
            String[] clause = s.substring(on + 4, s.length() - " background".length()).split(" ");
            if (clause.length != 2 || !(clause[0].equals("a") || clause[0].equals("an"))) {
                return Optional.empty();
            }
            Optional<NamedColor> bg = NamedColor.fromWord(clause[1]);
            if (bg.isEmpty()) {
                return Optional.empty();
            }
            background = bg.get();
            s = s.substring(0, on);
        }
        List<ShapeGroup> groups = new ArrayList<>();
        for (String phrase : s.split(",? and |, ")) {
            Optional<ShapeGroup> g = group(phrase.strip());
            if (g.isEmpty()) {
                return Optional.empty();
            }
            groups.add(g.get());
        }
        try {
            return Optional.of(new SceneSpec(groups, background));
        } catch (IllegalArgumentException e) { // the same colour and kind twice, or shapes of the background's colour
            return Optional.empty();
        }
    }

    private static Optional<ShapeGroup> group(String phrase) {
        String[] w = phrase.split(" ");
        if (w.length != 3) {
            return Optional.empty();
        }
        OptionalInt n = CountWords.parse(w[0]);
        Optional<NamedColor> color = NamedColor.fromWord(w[1]);
        Optional<ShapeKind> kind = ShapeKind.fromWord(w[2]);
        if (n.isEmpty() || n.getAsInt() < 1 || color.isEmpty() || kind.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ShapeGroup(n.getAsInt(), color.get(), kind.get()));
    }
}
