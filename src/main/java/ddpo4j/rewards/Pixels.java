package ddpo4j.rewards;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Turns one float CHW image of a {@link RewardBatch} into 8-bit pixels exactly as the reference does. */
public final class Pixels {
    private Pixels() {}

    /**
     * {@code (x * 255).round().clamp(0, 255)} as torch computes it: a float32 product, rounded half
     * to even ({@link Math#rint}, not {@link Math#round}; pipeline image 0 of the fixture has a tie).
     */
    public static int to8bit(float x) {
        double v = Math.rint(x * 255f);
        return v >= 255 ? 255 : v > 0 ? (int) v : 0; // NaN goes to 0, as torch's uint8 cast does
    }

    /** Image {@code index} of {@code batch} as an 8-bit RGB image (BGR byte layout, which ImageIO encodes fastest). */
    public static BufferedImage toImage(RewardBatch batch, int index) {
        float[] chw = batch.images().get(index);
        int h = batch.height();
        int w = batch.width();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        int plane = h * w;
        for (int p = 0; p < plane; p++) {
            bgr[3 * p] = (byte) to8bit(chw[p + 2 * plane]);
            bgr[3 * p + 1] = (byte) to8bit(chw[p + plane]);
            bgr[3 * p + 2] = (byte) to8bit(chw[p]);
        }
        return img;
    }

    /** Image {@code index} of {@code batch} as PNG bytes, base64-encoded (what remote rewards receive). */
    public static String pngBase64(RewardBatch batch, int index) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(toImage(batch, index), "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode image " + index + " as PNG", e);
        }
        return Base64.getEncoder().encodeToString(png.toByteArray());
    }
}
