package ddpo4j.io;

import ddpo4j.Ddpo4jException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes and reads RGB images as float CHW arrays in [0, 1]. */
public final class ImageFiles {
    private ImageFiles() {}

    /** Converts one CHW float image at {@code offset} to 8-bit RGB as diffusers does: {@code round(x * 255)}, clamped. */
    public static BufferedImage toImage(float[] chw, int offset, int height, int width) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = offset + y * width + x;
                int r = to8bit(chw[p]);
                int g = to8bit(chw[p + plane]);
                int b = to8bit(chw[p + 2 * plane]);
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    static int to8bit(float v) {
        float s = Math.round(v * 255f);
        return (int) Math.max(0, Math.min(255, s));
    }

    /** Writes a PNG atomically. */
    public static void writePng(float[] chw, int offset, int height, int width, Path file) {
        AtomicFile.write(file, pngBytes(chw, offset, height, width));
    }

    /** One CHW float image at {@code offset} as the bytes of an 8-bit RGB PNG. */
    public static byte[] pngBytes(float[] chw, int offset, int height, int width) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            ImageIO.write(toImage(chw, offset, height, width), "png", buf);
        } catch (IOException e) {
            throw new Ddpo4jException("cannot encode PNG: " + e.getMessage(), e);
        }
        return buf.toByteArray();
    }

    /** Reads an image file to a CHW float array in [0, 1]. */
    public static float[] readChw(Path file, int[] heightWidth) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new Ddpo4jException("cannot read image " + file + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new Ddpo4jException("not an image file ImageIO can read: " + file);
        }
        heightWidth[0] = img.getHeight();
        heightWidth[1] = img.getWidth();
        return toChw(img);
    }

    /** An image's RGB as a CHW float array in [0, 1] ({@code v / 255}). */
    public static float[] toChw(BufferedImage img) {
        int h = img.getHeight();
        int w = img.getWidth();
        float[] out = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                out[y * w + x] = ((rgb >> 16) & 255) / 255f;
                out[h * w + y * w + x] = ((rgb >> 8) & 255) / 255f;
                out[2 * h * w + y * w + x] = (rgb & 255) / 255f;
            }
        }
        return out;
    }
}
