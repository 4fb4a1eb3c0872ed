package ddpo4j.world;

/**
 * Ground truth for one drawn shape: kind and colour in the box {@code [x, x+size) × [y, y+size)}
 * (pixels, x to the right, y down).
 */
public record PlacedShape(ShapeKind kind, NamedColor color, int x, int y, int size) {
    public double centerX() {
        return x + size / 2.0;
    }

    public double centerY() {
        return y + size / 2.0;
    }

    /** Whether the boxes of this shape and {@code o}, each grown by {@code gap} pixels, overlap. */
    public boolean closerThan(PlacedShape o, int gap) {
        return x < o.x + o.size + gap && o.x < x + size + gap && y < o.y + o.size + gap && o.y < y + size + gap;
    }
}
