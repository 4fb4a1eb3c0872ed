package ddpo4j.rewards;

import ddpo4j.io.ImageFiles;
import ddpo4j.io.PixelQuantizer;
import ddpo4j.io.Rgb8Image;
import java.util.Base64;

/**
 * Image {@code index} of a {@link RewardBatch} as rewards consume it: 8-bit pixels or a PNG, made by
 * the same {@link PixelQuantizer} and encoder as a saved sample, so both are the same image.
 */
public final class Pixels {
    private Pixels() {}

    /** The 8-bit RGB pixels (the JPEG reward's input). */
    public static Rgb8Image rgb8(RewardBatch batch, int index) {
        return PixelQuantizer.toRgb8(batch.images().get(index), 0, batch.height(), batch.width());
    }

    /** PNG bytes, base64-encoded (what remote rewards receive): the bytes the sample would be saved as. */
    public static String pngBase64(RewardBatch batch, int index) {
        byte[] png = ImageFiles.pngBytes(batch.images().get(index), 0, batch.height(), batch.width());
        return Base64.getEncoder().encodeToString(png);
    }
}
