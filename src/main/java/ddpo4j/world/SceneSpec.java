package ddpo4j.world;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a caption says about a scene: its groups of shapes (each colour × kind at most once) and,
 * if the caption names it, the background colour (null otherwise).
 */
public record SceneSpec(List<ShapeGroup> groups, NamedColor background) {
    public SceneSpec {
        groups = List.copyOf(groups);
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a scene has at least one group of shapes");
        }
        Set<String> seen = new HashSet<>();
        for (ShapeGroup g : groups) {
            if (!seen.add(g.color() + "/" + g.kind())) {
                throw new IllegalArgumentException("two groups of " + g.color().word() + " " + g.kind().plural());
            }
            if (g.color() == background) {
                throw new IllegalArgumentException(g.color().word() + " shapes on a " + background.word()
                        + " background would be invisible");
            }
        }
    }

    /** A one-group scene, e.g. {@code of(3, RED, CIRCLE, null)} for "three red circles". */
    public static SceneSpec of(int count, NamedColor color, ShapeKind kind, NamedColor background) {
        return new SceneSpec(List.of(new ShapeGroup(count, color, kind)), background);
    }

    /** Shapes in all groups. */
    public int totalShapes() {
        return groups.stream().mapToInt(ShapeGroup::count).sum();
    }

    /** How many shapes of {@code color} and {@code kind} the caption asks for (0 when none). */
    public int count(NamedColor color, ShapeKind kind) {
        return groups.stream().filter(g -> g.color() == color && g.kind() == kind).mapToInt(ShapeGroup::count).sum();
    }
}
