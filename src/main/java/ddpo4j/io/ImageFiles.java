package ddpo4j.io;

import ddpo4j.Ddpo4jException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes and reads RGB image files as float CHW arrays in [0, 1]. */
public final class ImageFiles {
    private ImageFiles() {}

    /** Writes one CHW float image at {@code offset} as an 8-bit RGB PNG, atomically. */
    public static void writePng(float[] chw, int offset, int height, int width, Path file) {
        AtomicFile.write(file, pngBytes(chw, offset, height, width));
    }

    /**
     * One CHW float image at {@code offset} as the bytes of an 8-bit RGB PNG: {@link PixelQuantizer}
     * then {@link PngEncoder}, the same pixels and bytes a remote reward receives for that image.
     */
    public static byte[] pngBytes(float[] chw, int offset, int height, int width) {
        return PngEncoder.encode(PixelQuantizer.toRgb8(chw, offset, height, width));
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
        return PixelQuantizer.toChw(Rgb8Image.of(img));
    }
}
