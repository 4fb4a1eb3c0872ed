package ddpo4j.rewards.jpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Prints the JPEG reward's images/s at 64x64 and 512x512 on one thread (a measurement, not an assertion). */
class JpegThroughputTest {
    @Test
    void printImagesPerSecond() {
        measure(64, 16, 20);
        measure(512, 4, 10);
    }

    private static void measure(int size, int batchSize, int batches) {
        Random rnd = new Random(0);
        List<float[]> images = new ArrayList<>();
        for (int b = 0; b < batchSize; b++) {
            // smooth gradient plus noise: between a flat image and pure noise, like a decoded sample
            float[] img = new float[3 * size * size];
            for (int i = 0; i < img.length; i++) {
                img[i] = (float) (0.5 + 0.3 * Math.sin(i % size * 0.05) + 0.05 * rnd.nextGaussian());
            }
            images.add(img);
        }
        RewardBatch batch = new RewardBatch(images, size, size, Collections.nCopies(batchSize, ""),
                Collections.nCopies(batchSize, Map.of()));
        JpegReward reward = JpegReward.compressibility();
        for (int i = 0; i < 3; i++) {
            reward.scoreNow(batch); // warm-up: class loading, JIT
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < batches; i++) {
            RewardResult r = reward.scoreNow(batch);
            assertEquals(batchSize, r.scores().length);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("jpeg throughput %dx%d: %.1f images/s (%d images in %.2f s, one thread)%n", size, size,
                batchSize * batches / seconds, batchSize * batches, seconds);
    }
}
