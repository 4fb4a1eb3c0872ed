package ddpo4j.rewards.jpeg;

import ddpo4j.rewards.Pixels;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardFactory;
import ddpo4j.rewards.RewardResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The paper's JPEG rewards: {@code jpeg_compressibility} = −kB and {@code jpeg_incompressibility}
 * = +kB of each image saved as a quality-95 JPEG (kB = bytes / 1000), as ddpo-pytorch computes them.
 */
public final class JpegReward implements Reward {
    public static final String COMPRESSIBILITY = "jpeg_compressibility";
    public static final String INCOMPRESSIBILITY = "jpeg_incompressibility";

    private final String name;
    private final double sign;
    private final JpegEncoder encoder;

    private JpegReward(String name, double sign) {
        this.name = name;
        this.sign = sign;
        // Quality 95 only: it is the paper's setting and the one verified against libjpeg-turbo.
        this.encoder = new JpegEncoder(95);
    }

    /** −kB: smaller files score higher. */
    public static JpegReward compressibility() {
        return new JpegReward(COMPRESSIBILITY, -1);
    }

    /** +kB: larger files score higher. */
    public static JpegReward incompressibility() {
        return new JpegReward(INCOMPRESSIBILITY, +1);
    }

    /** Registry factory (no options). */
    public static RewardFactory factory(boolean compressibility) {
        return RewardFactory.of(Set.of(), o -> compressibility ? compressibility() : incompressibility());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<RewardResult> score(RewardBatch batch) {
        // Encoding is CPU work: off the caller's thread so the trainer can go on sampling.
        return CompletableFuture.supplyAsync(() -> scoreNow(batch));
    }

    /** Scores {@code batch} on the calling thread. */
    public RewardResult scoreNow(RewardBatch batch) {
        double[] scores = new double[batch.size()];
        List<Map<String, Object>> info = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            long bytes = encoder.size(Pixels.rgb8(batch, i).toBufferedImage());
            scores[i] = sign * bytes / 1000.0;
            info.add(Map.of("jpeg_bytes", bytes));
        }
        return new RewardResult(scores, info);
    }

    @Override
    public String toString() {
        return name;
    }
}
