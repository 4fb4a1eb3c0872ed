package ddpo4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The PNG writer: lossless under ImageIO's decoder, bare chunks with correct CRCs, same bytes every time. */
class PngEncoderTest {
    static Rgb8Image decode(byte[] png) throws IOException {
        return Rgb8Image.of(ImageIO.read(new ByteArrayInputStream(png)));
    }

    /** Noise, flat areas and gradients, so every filter type gets chosen somewhere. */
    static Rgb8Image mixed(int h, int w, long seed) {
        Random r = new Random(seed);
        byte[] rgb = new byte[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int v = y < h / 3 ? r.nextInt(256) : y < 2 * h / 3 ? 200 : (x * 5 + y * 3 + c * 40);
                    rgb[3 * (y * w + x) + c] = (byte) v;
                }
            }
        }
        return new Rgb8Image(h, w, rgb);
    }

    @Test
    void decodesToTheSamePixels() throws IOException {
        int[][] sizes = {{1, 1}, {1, 5}, {7, 1}, {5, 7}, {64, 48}, {33, 65}};
        for (int[] s : sizes) {
            Rgb8Image img = mixed(s[0], s[1], s[0] * 100L + s[1]);
            assertEquals(img, decode(PngEncoder.encode(img)), s[0] + "x" + s[1]);
        }
    }

    @Test
    void sameBytesForTheSamePixels() {
        Rgb8Image img = mixed(40, 30, 3);
        byte[] a = PngEncoder.encode(img);
        byte[] b = PngEncoder.encode(new Rgb8Image(40, 30, img.rgb().clone()));
        assertArrayEquals(a, b);
    }

    @Test
    void writesOnlyIhdrIdatIendWithValidCrcs() {
        byte[] png = PngEncoder.encode(mixed(9, 11, 1));
        ByteBuffer b = ByteBuffer.wrap(png);
        byte[] sig = new byte[8];
        b.get(sig);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, sig);
        List<String> types = new ArrayList<>();
        while (b.hasRemaining()) {
            int len = b.getInt();
            byte[] typeAndData = new byte[4 + len];
            b.get(typeAndData);
            CRC32 crc = new CRC32();
            crc.update(typeAndData);
            String type = new String(typeAndData, 0, 4, StandardCharsets.US_ASCII);
            assertEquals(crc.getValue(), b.getInt() & 0xFFFFFFFFL, type + " CRC");
            if (type.equals("IHDR")) {
                ByteBuffer ihdr = ByteBuffer.wrap(typeAndData, 4, len);
                assertEquals(11, ihdr.getInt(), "width");
                assertEquals(9, ihdr.getInt(), "height");
                assertEquals(8, ihdr.get(), "bit depth");
                assertEquals(2, ihdr.get(), "colour type RGB");
            }
            types.add(type);
        }
        assertEquals(List.of("IHDR", "IDAT", "IEND"), types, "no time stamp or other ancillary chunk");
    }
}
