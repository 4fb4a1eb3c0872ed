package ddpo4j.rewards.jpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.io.SafetensorsReader;
import ddpo4j.rewards.Pixels;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardResult;
import ddpo4j.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JPEG rewards against ddpo-pytorch's (PIL 9.4 / libjpeg-turbo 2.1.5). Tolerance: 0 bytes, the
 * measured gap on all four fixture images.
 */
class JpegRewardTest {
    /** The measured byte gap to the reference, per image; the tests hold us to it. */
    static final long GAP_BYTES = 0;

    @Test
    void uint8FixtureImagesHaveTheReferenceByteCounts() {
        try (SafetensorsReader r = SafetensorsReader.open(Fixtures.reference("jpeg_reward.safetensors"))) {
            long[] shape = r.info("images_uint8_nhwc").shape(); // (N, H, W, 3)
            long[] px = r.longs("images_uint8_nhwc");
            double[] expected = doubles(r, "reward");
            int n = (int) shape[0];
            int h = (int) shape[1];
            int w = (int) shape[2];
            List<float[]> images = new ArrayList<>();
            for (int b = 0; b < n; b++) {
                float[] chw = new float[3 * h * w];
                for (int p = 0; p < h * w; p++) {
                    for (int c = 0; c < 3; c++) {
                        chw[c * h * w + p] = px[(b * h * w + p) * 3 + c] / 255f; // round-trips exactly through the quantizer
                    }
                }
                images.add(chw);
            }
            RewardBatch batch = new RewardBatch(images, h, w, Collections.nCopies(n, ""), Collections.nCopies(n, Map.of()));
            assertMatches(expected, JpegReward.compressibility().scoreNow(batch), "jpeg_reward.safetensors");
            RewardResult inc = JpegReward.incompressibility().scoreNow(batch);
            assertEquals(-expected[0], inc.scores()[0], 0);
        }
    }

    @Test
    void pipelineImagesHaveTheReferenceReward() {
        try (SafetensorsReader r = SafetensorsReader.open(Fixtures.reference("pipeline.safetensors"))) {
            long[] shape = r.info("image").shape(); // (N, 3, H, W) in [0, 1]
            float[] all = r.floats("image");
            int n = (int) shape[0];
            int per = (int) (shape[1] * shape[2] * shape[3]);
            List<float[]> images = new ArrayList<>();
            for (int b = 0; b < n; b++) {
                images.add(java.util.Arrays.copyOfRange(all, b * per, (b + 1) * per));
            }
            RewardBatch batch = new RewardBatch(images, (int) shape[2], (int) shape[3], Collections.nCopies(n, ""),
                    Collections.nCopies(n, Map.of()));
            assertMatches(doubles(r, "image_reward_jpeg_compressibility"), JpegReward.compressibility().score(batch).join(),
                    "pipeline.safetensors");
        }
    }

    /** A float64 tensor read exactly (the reader's floats() would round it to float32). */
    private static double[] doubles(SafetensorsReader r, String key) {
        java.nio.DoubleBuffer b = r.bytes(key).asDoubleBuffer();
        double[] out = new double[b.remaining()];
        b.get(out);
        return out;
    }

    private static void assertMatches(double[] expected, RewardResult got, String what) {
        for (int i = 0; i < expected.length; i++) {
            long refBytes = Math.round(-expected[i] * 1000.0);
            long ourBytes = ((Number) got.info().get(i).get("jpeg_bytes")).longValue();
            System.out.printf("jpeg %s image %d: reference %d bytes, ours %d bytes, gap %d%n", what, i, refBytes, ourBytes,
                    ourBytes - refBytes);
            assertTrue(Math.abs(ourBytes - refBytes) <= GAP_BYTES, what + " image " + i + ": " + ourBytes + " vs " + refBytes);
            assertEquals(-ourBytes / 1000.0, got.scores()[i], 0);
            assertEquals(expected[i], got.scores()[i], 0, "the reference's float64 reward, exactly");
        }
    }

    @Test
    void encoderWritesBaselineJfif420WithOneMarkerPerTable() {
        RewardBatch batch = new RewardBatch(List.of(new float[3 * 32 * 48]), 32, 48, List.of(""), List.of(Map.of()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JpegEncoder(95).write(Pixels.rgb8(batch, 0).toBufferedImage(), out);
        byte[] f = out.toByteArray();
        assertEquals(out.size(), new JpegEncoder(95).size(Pixels.rgb8(batch, 0).toBufferedImage()));
        assertEquals("ffd8ffe0", hex(f, 0, 4), "SOI then JFIF APP0, as PIL writes");
        assertEquals("JFIF", new String(f, 6, 4, java.nio.charset.StandardCharsets.US_ASCII));
        List<Integer> markers = markers(f);
        assertEquals(2, Collections.frequency(markers, 0xDB), "one DQT per table");
        assertEquals(4, Collections.frequency(markers, 0xC4), "one DHT per table: standard, not optimized");
        assertTrue(markers.contains(0xC0) && !markers.contains(0xC2), "baseline SOF0, not progressive");
        int sof = indexOfMarker(f, 0xC0);
        // SOF0: length(2) precision(1) height(2) width(2) ncomp(1), then (id, sampling, table) per component
        assertEquals("080020003003", hex(f, sof + 4, 6), "8-bit, height 32, width 48, 3 components");
        assertEquals(0x22, f[sof + 11] & 255, "Y 2x2");
        assertEquals(0x11, f[sof + 14] & 255, "Cb 1x1 (4:2:0)");
        assertEquals(0x11, f[sof + 17] & 255, "Cr 1x1");
        int dqt = indexOfMarker(f, 0xDB);
        assertEquals(2, f[dqt + 5] & 255, "quality-95 luminance table starts with round(16 * 0.1) = 2");
    }

    private static List<Integer> markers(byte[] f) {
        List<Integer> out = new ArrayList<>();
        int i = 2;
        while (i + 3 < f.length && (f[i] & 255) == 0xFF) {
            int m = f[i + 1] & 255;
            out.add(m);
            if (m == 0xDA) {
                break; // entropy-coded data follows
            }
            i += 2 + (((f[i + 2] & 255) << 8) | (f[i + 3] & 255));
        }
        return out;
    }

    private static int indexOfMarker(byte[] f, int marker) {
        for (int i = 0; i + 1 < f.length; i++) {
            if ((f[i] & 255) == 0xFF && (f[i + 1] & 255) == marker) {
                return i;
            }
        }
        return -1;
    }

    private static String hex(byte[] f, int from, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            b.append(String.format("%02x", f[i] & 255));
        }
        return b.toString();
    }
}
