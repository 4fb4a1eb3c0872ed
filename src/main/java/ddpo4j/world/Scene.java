package ddpo4j.world;

import java.util.List;

/**
 * Ground truth of one image: its size, background colour and every shape drawn, with the spec the
 * scene was made from (what its captions may say).
 */
public record Scene(int width, int height, NamedColor background, List<PlacedShape> shapes, SceneSpec spec) {
    public Scene {
        shapes = List.copyOf(shapes);
    }

    /** Drawn shapes of {@code color} and {@code kind}. */
    public int count(NamedColor color, ShapeKind kind) {
        return (int) shapes.stream().filter(s -> s.color() == color && s.kind() == kind).count();
    }

    /** Drawn shapes of {@code color}, any kind. */
    public int count(NamedColor color) {
        return (int) shapes.stream().filter(s -> s.color() == color).count();
    }

    /** The image without anti-aliasing: float CHW in [0, 1], every pixel exactly a named colour. */
    public float[] render() {
        return SceneRenderer.render(this, 1);
    }
}
