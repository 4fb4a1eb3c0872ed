package ddpo4j.world;

/**
 * One connected component the detector found: its colour, the kind its geometry says, its area in
 * pixels, centroid, bounding box and the features the kind was decided by.
 *
 * @param area pixels in the component
 * @param centerX centroid of the soft mask (pixel units, pixel centres at +0.5)
 * @param fill area over bounding-box area (circle ≈ 0.785, square ≈ 1, triangle ≈ 0.5)
 * @param mass sum of the soft mask: the shape's area estimated through blur
 * @param match soft IoU of the mask with the chosen kind's best-fitting template (1: perfect)
 */
public record DetectedShape(NamedColor color, ShapeKind kind, int area, double centerX, double centerY, int boxX,
        int boxY, int boxWidth, int boxHeight, double fill, double mass, double match) {}
