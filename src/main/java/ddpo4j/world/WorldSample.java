package ddpo4j.world;

/**
 * One generated example: the image (float CHW RGB in [0, 1], 3 × height × width), its ground truth
 * and a caption describing it.
 */
public record WorldSample(float[] image, Scene scene, String caption) {
    public int height() {
        return scene.height();
    }

    public int width() {
        return scene.width();
    }
}
