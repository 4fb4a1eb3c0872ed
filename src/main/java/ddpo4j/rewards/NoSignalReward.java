package ddpo4j.rewards;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The no-signal control: a score in [0, 1) that is a hash of the image's pixels and a seed, so it
 * says nothing about what the image shows yet is deterministic (the same image always scores the
 * same, reruns are bit-identical). Training on it measures how far a recipe drifts on its own:
 * any change a real reward's run shows beyond this one's is learning, not drift.
 */
public final class NoSignalReward implements Reward {
    public static final String NAME = "no_signal";
    private final long seed;

    public NoSignalReward(long seed) {
        this.seed = seed;
    }

    public static RewardFactory factory() {
        return RewardFactory.of(Set.of("seed"), o -> new NoSignalReward(o.intValue("seed", 0, 0)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletableFuture<RewardResult> score(RewardBatch batch) {
        double[] scores = new double[batch.size()];
        List<Map<String, Object>> info = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            scores[i] = uniform(seed, batch.images().get(i));
            info.add(Map.of());
        }
        return CompletableFuture.completedFuture(new RewardResult(scores, info));
    }

    /** 53 bits of a 64-bit hash of the pixels' bit patterns (murmur3's finaliser after each word) as a double in [0, 1). */
    static double uniform(long seed, float[] pixels) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (float v : pixels) {
            h = mix(h ^ Float.floatToIntBits(v));
        }
        return (h >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
