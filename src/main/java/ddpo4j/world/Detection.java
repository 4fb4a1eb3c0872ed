package ddpo4j.world;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What the detector saw in one image: the background colour and every shape (component) found. */
public record Detection(NamedColor background, List<DetectedShape> shapes) {
    public Detection {
        shapes = List.copyOf(shapes);
    }

    /** Shapes of {@code color} and {@code kind}. */
    public int count(NamedColor color, ShapeKind kind) {
        return (int) shapes.stream().filter(s -> s.color() == color && s.kind() == kind).count();
    }

    /** Shapes of {@code color}, any kind. */
    public int count(NamedColor color) {
        return (int) shapes.stream().filter(s -> s.color() == color).count();
    }

    /** Shapes of {@code kind}, any colour. */
    public int count(ShapeKind kind) {
        return (int) shapes.stream().filter(s -> s.kind() == kind).count();
    }

    /** Counts per colour and kind (only pairs that occur). */
    public Map<NamedColor, Map<ShapeKind, Integer>> counts() {
        Map<NamedColor, Map<ShapeKind, Integer>> out = new EnumMap<>(NamedColor.class);
        for (DetectedShape s : shapes) {
            out.computeIfAbsent(s.color(), c -> new EnumMap<>(ShapeKind.class)).merge(s.kind(), 1, Integer::sum);
        }
        return out;
    }
}
