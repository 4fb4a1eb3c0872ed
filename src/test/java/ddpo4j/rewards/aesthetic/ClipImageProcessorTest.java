package ddpo4j.rewards.aesthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ddpo4j.io.SafetensorsReader;
import ddpo4j.testing.Fixtures;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** CLIP preprocessing: the uint8 step, the resize shape, crop and normalization by hand, and transformers' output. */
class ClipImageProcessorTest {
    @Test
    void uint8RoundsHalfToEvenAndClamps() {
        // torch.round: 127.5 -> 128 (even), 63.75 -> 64, 25.5 -> 26 (even), 76.5 -> 76 (even), 2.5 -> 2 (even)
        float[] chw = {0.5f, 0.25f, 0.1f, 0.3f, -0.2f, 1.3f, 1.0f, 2.5f / 255f, 0.5f, 0.5f, 0.5f, 0.5f};
        assertEquals(2.5f, chw[7] * 255f, 0, "a float32 tie");
        // 2 x 2 at size 2: no resize, no crop, so each output is (u / 255 - mean) / std of its uint8 u
        float[] out = new ClipImageProcessor(2).preprocess(chw, 2, 2);
        int[] uint8 = {128, 64, 26, 76, 0, 255, 255, 2, 128, 128, 128, 128}; // CHW, as the input
        float[] expected = new float[12];
        for (int i = 0; i < 12; i++) {
            int c = i / 4;
            expected[i] = ((float) (uint8[i] / 255.0) - ClipImageProcessor.MEAN[c]) / ClipImageProcessor.STD[c];
        }
        assertArrayEquals(expected, out);
    }

    @Test
    void shortestSideBecomesSizeAndTheLongSideIsTruncated() {
        assertArrayEquals(new int[] {224, 224}, ClipImageProcessor.resizedShape(512, 512, 224));
        assertArrayEquals(new int[] {224, 298}, ClipImageProcessor.resizedShape(480, 640, 224)); // int(298.67)
        assertArrayEquals(new int[] {298, 224}, ClipImageProcessor.resizedShape(640, 480, 224));
        assertArrayEquals(new int[] {3, 4}, ClipImageProcessor.resizedShape(5, 7, 3)); // int(4.2)
        assertArrayEquals(new int[] {2, 5}, ClipImageProcessor.resizedShape(2, 5, 2)); // already there
    }

    @Test
    void cropAndNormalizeByHand() {
        // 2 x 4 image, size 2: no resize (short side is 2), crop columns (4 - 2) // 2 = 1 and 2.
        int h = 2;
        int w = 4;
        float[] chw = new float[3 * h * w];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (i * 11 % 256) / 255f; // exact uint8 values i*11 mod 256
        }
        float[] out = new ClipImageProcessor(2).preprocess(chw, h, w);
        float[] expected = new float[12];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 2; x++) {
                    int u = ((c * h + y) * w + x + 1) * 11 % 256;
                    float v = (float) (u / 255.0);
                    expected[(c * 2 + y) * 2 + x] = (v - ClipImageProcessor.MEAN[c]) / ClipImageProcessor.STD[c];
                }
            }
        }
        assertArrayEquals(expected, out);
        // e.g. channel 0, pixel (0, 0) is uint8 11: (11/255 - 0.48145466) / 0.26862954
        assertEquals((11 / 255.0 - 0.48145466) / 0.26862954, out[0], 1e-6);
    }

    @Test
    void matchesTransformersClipImageProcessor() throws URISyntaxException {
        Path ref = Path.of(getClass().getResource("/aesthetic/tiny-clip/reference.safetensors").toURI());
        try (SafetensorsReader r = SafetensorsReader.open(ref)) {
            float[] images = r.floats("images"); // (2, 3, 40, 56): resized to 32 x 44, cropped to 32 x 32
            float[] pixels = r.floats("pixel_values");
            ClipImageProcessor p = new ClipImageProcessor(32);
            int per = 3 * 40 * 56;
            float[] got = new float[pixels.length];
            for (int n = 0; n < 2; n++) {
                float[] one = new float[per];
                System.arraycopy(images, n * per, one, 0, per);
                System.arraycopy(p.preprocess(one, 40, 56), 0, got, n * 3 * 32 * 32, 3 * 32 * 32);
            }
            Fixtures.assertClose(pixels, got, 0, "CLIP pixel_values vs transformers");
        }
    }
}
