package ddpo4j.rewards;

import java.util.List;
import java.util.Map;

/**
 * A batch to score: RGB images as float CHW arrays in [0, 1] (all {@code height} x {@code width}),
 * the prompt of each image and that prompt's metadata (e.g. expected counts for alignment rewards).
 */
public record RewardBatch(List<float[]> images, int height, int width, List<String> prompts,
        List<Map<String, Object>> metadata) {
    public RewardBatch {
        images = List.copyOf(images);
        prompts = List.copyOf(prompts);
        metadata = List.copyOf(metadata);
        if (prompts.size() != images.size() || metadata.size() != images.size()) {
            throw new IllegalArgumentException(images.size() + " images, " + prompts.size() + " prompts and "
                    + metadata.size() + " metadata entries: counts must match");
        }
        for (float[] img : images) {
            if (img.length != 3 * height * width) {
                throw new IllegalArgumentException("image of " + img.length + " floats is not 3x" + height + "x" + width);
            }
        }
    }

    public int size() {
        return images.size();
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive), for rewards that split large batches. */
    public RewardBatch slice(int from, int to) {
        return new RewardBatch(images.subList(from, to), height, width, prompts.subList(from, to),
                metadata.subList(from, to));
    }
}
