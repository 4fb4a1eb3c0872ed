package ddpo4j.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * The one PNG writer for samples, reward payloads and report images: the JDK's ImageIO encoder
 * (a well-kept library, not ours to maintain), fed 8-bit RGB pixels. It writes no time stamp or
 * other ancillary chunk, so the same pixels give the same bytes on the same JDK.
 */
public final class PngEncoder {
    private PngEncoder() {}

    /** {@code image} as the bytes of a PNG file. */
    public static byte[] encode(Rgb8Image image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.rgb().length / 2 + 64);
        try {
            if (!ImageIO.write(image.toBufferedImage(), "png", out)) {
                throw new IllegalStateException("no PNG writer in this JDK's ImageIO");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a " + image.width() + "x" + image.height() + " PNG", e);
        }
        return out.toByteArray();
    }
}
