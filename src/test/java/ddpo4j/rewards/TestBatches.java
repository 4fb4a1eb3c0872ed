package ddpo4j.rewards;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Small reward batches for tests: flat-colour images of a given brightness. */
public final class TestBatches {
    private TestBatches() {}

    /** A CHW image whose every channel value is {@code v}. */
    public static float[] flat(float v, int h, int w) {
        float[] img = new float[3 * h * w];
        Arrays.fill(img, v);
        return img;
    }

    /** One flat 8x8 image per brightness, prompts {@code p0, p1, ...} and empty metadata. */
    public static RewardBatch ofBrightness(double... values) {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            prompts.add("p" + i);
        }
        return withPrompts(prompts, values);
    }

    /** Flat 8x8 images of the given brightness with the given prompts. */
    public static RewardBatch withPrompts(List<String> prompts, double... values) {
        List<float[]> images = new ArrayList<>();
        List<Map<String, Object>> meta = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            images.add(flat((float) values[i], 8, 8));
            meta.add(Map.of("index", i));
        }
        return new RewardBatch(images, 8, 8, prompts, meta);
    }
}
