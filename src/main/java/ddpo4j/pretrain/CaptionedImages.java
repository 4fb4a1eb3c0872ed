package ddpo4j.pretrain;

import java.util.List;
import java.util.SplittableRandom;

/** A source of training images with captions, drawn from a random stream (deterministic given it). */
public interface CaptionedImages {
    /** One image, CHW floats in [0, 1], with its caption. */
    record Example(float[] image, String caption) {}

    Example next(SplittableRandom random);

    /** Image height and width in pixels. */
    int size();

    /** Every word captions may use, for building the tokenizer's vocabulary. */
    List<String> vocabulary();

    /** What the images are, precisely enough that two sources with one description give the same stream. */
    default String describe() {
        return getClass().getName() + " " + size() + "px";
    }
}
