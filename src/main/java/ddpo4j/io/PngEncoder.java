package ddpo4j.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The one PNG writer for samples, reward payloads and report images: 8-bit RGB, no interlacing, no
 * ancillary chunks (no time stamp or gamma), so the same pixels always give the same bytes. Each
 * row takes the filter with the smallest sum of absolute filtered bytes (libpng's heuristic), and
 * the rows are deflated at zlib's default level.
 */
public final class PngEncoder {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int BYTES_PER_PIXEL = 3;

    private PngEncoder() {}

    /** {@code image} as the bytes of a PNG file. */
    public static byte[] encode(Rgb8Image image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.rgb().length / 2 + 64);
        out.writeBytes(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, image.width());
        putInt(ihdr, 4, image.height());
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type: RGB; compression, filter and interlace methods stay 0
        chunk(out, "IHDR", ihdr);
        chunk(out, "IDAT", deflate(filterRows(image)));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** Every row as its filter type byte followed by the filtered bytes. */
    private static byte[] filterRows(Rgb8Image image) {
        byte[] px = image.rgb();
        int stride = image.width() * BYTES_PER_PIXEL;
        byte[] out = new byte[image.height() * (stride + 1)];
        byte[][] candidates = new byte[5][stride];
        for (int y = 0; y < image.height(); y++) {
            int row = y * stride;
            int best = 0;
            long bestCost = Long.MAX_VALUE;
            for (int f = 0; f < 5; f++) {
                long cost = filter(f, px, row, stride, y > 0, candidates[f]);
                if (cost < bestCost) {
                    bestCost = cost;
                    best = f;
                }
            }
            int at = y * (stride + 1);
            out[at] = (byte) best;
            System.arraycopy(candidates[best], 0, out, at + 1, stride);
        }
        return out;
    }

    /**
     * Filters one row with PNG filter {@code type} (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth) into
     * {@code dst}; returns the sum of the filtered bytes read as signed, in absolute value.
     */
    private static long filter(int type, byte[] px, int row, int stride, boolean hasUp, byte[] dst) {
        long cost = 0;
        for (int i = 0; i < stride; i++) {
            int x = px[row + i] & 0xFF;
            int a = i >= BYTES_PER_PIXEL ? px[row + i - BYTES_PER_PIXEL] & 0xFF : 0;
            int b = hasUp ? px[row - stride + i] & 0xFF : 0;
            int c = hasUp && i >= BYTES_PER_PIXEL ? px[row - stride + i - BYTES_PER_PIXEL] & 0xFF : 0;
            int predicted = switch (type) {
                case 0 -> 0;
                case 1 -> a;
                case 2 -> b;
                case 3 -> (a + b) >>> 1;
                default -> paeth(a, b, c);
            };
            byte v = (byte) (x - predicted);
            dst[i] = v;
            cost += Math.abs(v);
        }
        return cost;
    }

    /** The PNG specification's Paeth predictor: whichever of left, up, up-left is closest to a + b - c. */
    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
            byte[] buf = new byte[64 * 1024];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            deflater.end(); // frees zlib's native memory now rather than at finalization
        }
    }

    /** Length, type, data, and the CRC-32 of type and data. */
    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] head = new byte[8];
        putInt(head, 0, data.length);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, head, 4, 4);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        byte[] tail = new byte[4];
        putInt(tail, 0, (int) crc.getValue());
        out.writeBytes(head);
        out.writeBytes(data);
        out.writeBytes(tail);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
