package ddpo4j.prompts;

import ddpo4j.Ddpo4jException;
import ddpo4j.world.Captions;
import ddpo4j.world.CountWords;
import ddpo4j.world.NamedColor;
import ddpo4j.world.ShapeGroup;
import ddpo4j.world.ShapeKind;
import ddpo4j.world.WorldConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Counting prompts of the shapes world, "three red circles": every count × colour × kind of the
 * world (1–4 × red, green, blue, yellow × circle, square, triangle = 48 prompts, in that nesting
 * order), a single shape written "one …" as ddpo-pytorch's counting prompts write numbers.
 *
 * <p>For the generalization experiment some colour × kind pairs are held out: by default every
 * prompt about green triangles or blue squares (8 prompts) is held out and the other 40 are the
 * training split. Each colour and each kind still occurs in training (green circles, blue
 * triangles…), so held-out prompts ask for new combinations of known words.
 *
 * <p>Metadata: {@code count} (Integer), {@code color}, {@code shape} (singular), and for the
 * {@code vlm} reward's strict questions {@code noun} (= shape) and {@code plural}.
 */
public final class CountingPrompts {
    /** Pairs held out by default, as "colour kind". */
    public static final List<String> DEFAULT_HELD_OUT = List.of("green triangle", "blue square");

    private CountingPrompts() {}

    /** The split {@code split} (train, heldout or all) with the default held-out pairs and counts 1–4. */
    public static List<PromptSample> split(String split) {
        return split(split, DEFAULT_HELD_OUT, 1, 4);
    }

    /**
     * @param heldOut colour × kind pairs held out, each "colour kind" (singular or plural), e.g. "green triangle"
     */
    public static List<PromptSample> split(String split, List<String> heldOut, int minCount, int maxCount) {
        if (minCount < 1 || maxCount < minCount || maxCount > 10) {
            throw new Ddpo4jException("counting prompts need 1 <= min count <= max count <= 10, got " + minCount + ".."
                    + maxCount);
        }
        List<String> held = new ArrayList<>();
        for (String pair : heldOut) {
            String[] w = pair.strip().split("\\s+");
            Optional<NamedColor> c = w.length == 2 ? NamedColor.fromWord(w[0]) : Optional.empty();
            Optional<ShapeKind> k = w.length == 2 ? ShapeKind.fromWord(w[1]) : Optional.empty();
            if (c.isEmpty() || k.isEmpty()) {
                throw new Ddpo4jException("held-out pair \"" + pair + "\" is not \"colour shape\" (e.g. \"green triangle\")");
            }
            held.add(c.get().word() + " " + k.get().word());
        }
        boolean wantHeld = switch (split) {
            case "heldout" -> true;
            case "train" -> false;
            case "all" -> false;
            default -> throw new Ddpo4jException("counting split must be train, heldout or all, got \"" + split + "\"");
        };
        List<PromptSample> out = new ArrayList<>();
        for (int n = minCount; n <= maxCount; n++) {
            for (NamedColor c : WorldConfig.SHAPE_COLORS) {
                for (ShapeKind k : ShapeKind.values()) {
                    boolean isHeld = held.contains(c.word() + " " + k.word());
                    if (split.equals("all") || isHeld == wantHeld) {
                        out.add(prompt(n, c, k, null));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Two-group compositions, "two red circles and one blue square": 16 prompts (counts 1-2 each,
     * two different colours and kinds, every colour and kind used), for measuring whether counting
     * learned on one-group prompts carries over to prompts naming two groups (the bundled models
     * were pretrained on one-group captions). No metadata: rewards parse the text, asking each group.
     */
    public static List<PromptSample> twoGroups() {
        List<NamedColor> colors = WorldConfig.SHAPE_COLORS;
        ShapeKind[] kinds = ShapeKind.values();
        List<List<ShapeGroup>> all = new ArrayList<>(); // 6 colour pairs x 6 kind pairs x 4 count pairs
        for (int a = 0; a < colors.size(); a++) {
            for (int b = a + 1; b < colors.size(); b++) {
                for (ShapeKind k1 : kinds) {
                    for (ShapeKind k2 : kinds) {
                        for (int n = 0; n < 4 && k1 != k2; n++) {
                            all.add(List.of(new ShapeGroup(1 + n / 2, colors.get(a), k1),
                                    new ShapeGroup(1 + n % 2, colors.get(b), k2)));
                        }
                    }
                }
            }
        }
        List<PromptSample> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 9) { // every 9th: 16, each colour pair and kind in some
            out.add(new PromptSample(Captions.write(all.get(i), null, false), Map.of()));
        }
        return out;
    }

    /** "three red circles" (+ " on a blue background" when {@code background} is not null) with its metadata. */
    public static PromptSample prompt(int count, NamedColor color, ShapeKind kind, NamedColor background) {
        String text = CountWords.word(count, false) + " " + color.word() + " " + (count == 1 ? kind.word() : kind.plural())
                + (background == null ? "" : " on a " + background.word() + " background");
        return new PromptSample(text, metadata(count, color, kind, background));
    }

    /** The metadata rewards read: count, color, shape, noun, plural, and background when given. */
    public static Map<String, Object> metadata(int count, NamedColor color, ShapeKind kind, NamedColor background) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("color", color.word());
        m.put("shape", kind.word());
        m.put("noun", kind.word());
        m.put("plural", kind.plural());
        if (background != null) {
            m.put("background", background.word());
        }
        return m;
    }
}
