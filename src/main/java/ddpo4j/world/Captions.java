package ddpo4j.world;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes captions in the world's grammar:
 *
 * <pre>
 * caption := groups [" on a " colour " background"]
 * groups  := group | group " and " group | group ", " group … " and " group
 * group   := count " " colour " " kind        kind plural when count > 1
 * count   := "a" | "one" | "two" | "three" | "four" | …
 * </pre>
 *
 * e.g. "two red circles on a blue background", "two red circles", "a red circle",
 * "one green square and three yellow triangles". {@link CaptionParser} reads the same grammar back.
 */
public final class Captions {
    private Captions() {}

    /**
     * The caption of {@code groups} with the background clause when {@code background} is not null;
     * a single shape is "a …" when {@code article} is true, else "one …".
     */
    public static String write(List<ShapeGroup> groups, NamedColor background, boolean article) {
        List<String> phrases = new ArrayList<>();
        for (ShapeGroup g : groups) {
            phrases.add(phrase(g, article));
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < phrases.size(); i++) {
            if (i > 0) {
                sb.append(i == phrases.size() - 1 ? " and " : ", ");
            }
            sb.append(phrases.get(i));
        }
        if (background != null) {
            sb.append(" on a ").append(background.word()).append(" background");
        }
        return sb.toString();
    }

    /** The caption of a spec, naming its background if it has one; "a" for single shapes. */
    public static String write(SceneSpec spec) {
        return write(spec.groups(), spec.background(), true);
    }

    /** One group's phrase: "three red circles", "a red circle" (or "one red circle"). */
    public static String phrase(ShapeGroup g, boolean article) {
        return CountWords.word(g.count(), article) + " " + g.color().word() + " "
                + (g.count() == 1 ? g.kind().word() : g.kind().plural());
    }
}
