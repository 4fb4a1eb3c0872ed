package ddpo4j.rewards.aesthetic;

import ddpo4j.io.PixelQuantizer;

/**
 * transformers' {@code CLIPImageProcessor} (the slow, Pillow-based one) on images as ddpo-pytorch
 * hands them over: float CHW in [0, 1] quantized to uint8 with {@code (x * 255).round().clamp(0,
 * 255)} ({@link PixelQuantizer}, as for every reward and saved sample), the shortest side resized
 * to {@code size} with Pillow's bicubic, a center crop of {@code size} x {@code size}, then
 * {@code (x / 255 - mean) / std} with OpenAI CLIP's mean and std.
 */
public final class ClipImageProcessor {
    /** OpenAI CLIP's {@code image_mean} and {@code image_std}, as in every CLIP {@code preprocessor_config.json}. */
    static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};
    private static final double RESCALE = 1.0 / 255.0;

    private final int size;

    /** @param size the shortest edge after resizing and the crop size: the vision config's {@code image_size} */
    public ClipImageProcessor(int size) {
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** One image, float CHW in [0, 1] of {@code height} x {@code width}, to CLIP pixel values (3, size, size). */
    public float[] preprocess(float[] chw, int height, int width) {
        if (chw.length != 3 * height * width) {
            throw new IllegalArgumentException(chw.length + " floats is not a 3x" + height + "x" + width + " image");
        }
        byte[] hwc = PixelQuantizer.toRgb8(chw, 0, height, width).rgb(); // HWC, as the Pillow resize takes it
        int[] resized = resizedShape(height, width, size);
        byte[] img = PilResize.bicubic(hwc, height, width, resized[0], resized[1]);
        return normalizeCenterCrop(img, resized[0], resized[1]);
    }

    /**
     * transformers' {@code get_resize_output_image_size(default_to_square=False)}: the short side
     * becomes {@code size}, the long side {@code int(size * long / short)}.
     */
    static int[] resizedShape(int height, int width, int size) {
        int shortSide = Math.min(height, width);
        int longSide = Math.max(height, width);
        if (shortSide == size) {
            return new int[] {height, width};
        }
        int newLong = (int) ((double) size * longSide / shortSide);
        return height <= width ? new int[] {size, newLong} : new int[] {newLong, size};
    }

    /**
     * Center crop ({@code top = (H - size) // 2}, as transformers' {@code center_crop}), rescale
     * in float64 then cast to float32, and normalize in float32, back to CHW.
     */
    private float[] normalizeCenterCrop(byte[] hwc, int height, int width) {
        int top = (height - size) / 2;
        int left = (width - size) / 2;
        float[] out = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int u = hwc[((top + y) * width + left + x) * 3 + c] & 0xFF;
                    float v = (float) (u * RESCALE);
                    out[(c * size + y) * size + x] = (v - MEAN[c]) / STD[c];
                }
            }
        }
        return out;
    }
}
