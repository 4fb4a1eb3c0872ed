package ddpo4j.io;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Arrays;

/** An 8-bit RGB image, row-major with interleaved channels (HWC), as {@link PixelQuantizer} makes it. */
public record Rgb8Image(int height, int width, byte[] rgb) {
    public Rgb8Image {
        if (height <= 0 || width <= 0 || rgb.length != 3L * height * width) {
            throw new IllegalArgumentException(rgb.length + " bytes is not a " + height + "x" + width + " RGB image");
        }
    }

    /** Equal pixels, not the same array: records compare array components by reference. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Rgb8Image other && height == other.height && width == other.width
                && Arrays.equals(rgb, other.rgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(rgb);
    }

    @Override
    public String toString() {
        return "Rgb8Image[" + height + "x" + width + "]";
    }

    /** 8-bit value of channel {@code c} (0 = R) at row {@code y}, column {@code x}. */
    public int get(int y, int x, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xFF;
    }

    /** The same pixels as a {@link BufferedImage} (BGR byte layout, which ImageIO's JPEG writer takes fastest). */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return img;
    }

    /** The RGB pixels of any image ImageIO decoded (alpha dropped). */
    public static Rgb8Image of(BufferedImage img) {
        int h = img.getHeight();
        int w = img.getWidth();
        byte[] rgb = new byte[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = img.getRGB(x, y);
                int p = 3 * (y * w + x);
                rgb[p] = (byte) (v >> 16);
                rgb[p + 1] = (byte) (v >> 8);
                rgb[p + 2] = (byte) v;
            }
        }
        return new Rgb8Image(h, w, rgb);
    }
}
