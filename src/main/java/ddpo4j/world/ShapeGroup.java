package ddpo4j.world;

/** What one phrase of a caption says: {@code count} shapes of one colour and kind ("two red circles"). */
public record ShapeGroup(int count, NamedColor color, ShapeKind kind) {
    public ShapeGroup {
        if (count < 1) {
            throw new IllegalArgumentException("a group has at least one shape, got " + count);
        }
        if (color == null || kind == null) {
            throw new IllegalArgumentException("a group needs a colour and a kind");
        }
    }
}
