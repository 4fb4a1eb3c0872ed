package ddpo4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.io.BundledFiles;
import ddpo4j.models.judge.JudgeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class JudgeVersusDetectorTest {
    @Test
    void theDetectorIsExactOnCleanTestRenders() {
        JudgeConfig c = JudgeConfig.DEFAULT;
        JudgeAccuracy.Tally[] d = JudgeVersusDetector.detector(JudgeExamples.test(c, ImageTransform.NONE), c, 5, 40);
        assertEquals(d[0].n(), d[0].right(), "first-group counts");
        assertEquals(40, d[1].n());
        assertEquals(40, d[1].right(), "all 12 pair counts");
    }

    @Test
    void aVaeRoundTripIsDeterministicAndKeepsThePlainBackground() {
        Path sd = BundledFiles.root().resolve("models/shapes-sd");
        Assumptions.assumeTrue(Files.isRegularFile(sd.resolve("model_index.json")), "models/shapes-sd not present");
        float[] white = new float[3 * 64 * 64];
        java.util.Arrays.fill(white, 1f);
        try (VaeRoundTrip vae = new VaeRoundTrip(sd)) {
            float[] a = vae.apply(white, 64, 64, new SplittableRandom(1));
            float[] b = vae.apply(white, 64, 64, new SplittableRandom(2));
            assertArrayEquals(a, b, "no sampling: the same image gives the same round trip");
            double err = 0;
            for (float v : a) {
                assertTrue(v >= 0 && v <= 1);
                err += Math.abs(1 - v);
            }
            assertTrue(err / a.length < 0.1, "a white image stays near white: mean error " + err / a.length);
        }
    }
}
