package ddpo4j.rewards.jpeg;

import ddpo4j.rewards.RewardException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Counts the bytes of an image saved as baseline JPEG the way PIL does by default: the JDK's own
 * writer (libjpeg 6b underneath) at quality 95 with standard Huffman tables and 4:2:0 chroma
 * subsampling, JFIF header, one marker per table. On the reference fixtures it gives the same
 * byte counts as PIL 9.4 / libjpeg-turbo 2.1.5.
 */
public final class JpegEncoder {
    private final float quality;

    /** {@code quality} on PIL's 1..100 scale. */
    public JpegEncoder(int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality " + quality + " is outside 1..100");
        }
        // The JDK maps q in (0, 1] to libjpeg's jpeg_quality_scaling(100 q) tables (200 - 2q % above 50),
        // so 0.95 gives exactly the quality-95 tables PIL asks libjpeg for.
        this.quality = quality / 100f;
    }

    /** Size in bytes of {@code image} as a JPEG file. */
    public long size(BufferedImage image) {
        CountingStream count = new CountingStream();
        write(image, count);
        return count.bytes;
    }

    /** Writes {@code image} as a JPEG file to {@code out}. */
    public void write(BufferedImage image, OutputStream out) {
        // A writer holds native libjpeg state and is not thread-safe: one per call (cheap next to encoding).
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            // Defaults kept on purpose, as they match PIL: baseline (not progressive), no optimized
            // Huffman tables, YCbCr with 2x2 luma sampling (4:2:0), a JFIF APP0 segment, separate
            // DQT and DHT markers per table (same header bytes as libjpeg-turbo).
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new RewardException("JPEG encoding failed: " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
    }

    /** Discards bytes, counting them: the reward needs the size, not the file. */
    private static final class CountingStream extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
