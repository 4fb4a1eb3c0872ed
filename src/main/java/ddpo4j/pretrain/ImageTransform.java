package ddpo4j.pretrain;

import java.util.SplittableRandom;

/**
 * A random change of a float CHW image (a new array), drawing from the stream passed in: the
 * judge's training augmentation, or a fixed {@code world.Degradation} ({@code degradation::apply})
 * when measuring accuracy on degraded renders.
 */
@FunctionalInterface
public interface ImageTransform {
    ImageTransform NONE = (chw, height, width, random) -> chw.clone();

    float[] apply(float[] chw, int height, int width, SplittableRandom random);
}
