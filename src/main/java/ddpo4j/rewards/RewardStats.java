package ddpo4j.rewards;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latency and throughput of a reward over some period (an epoch, say).
 *
 * @param calls         score calls completed
 * @param images        images in those calls
 * @param failedImages  images that got an error instead of a score
 * @param latencySeconds sum of the calls' latencies (start to completion)
 * @param busySeconds   wall time with at least one call in flight; calls that overlap count once
 */
public record RewardStats(long calls, long images, long failedImages, double latencySeconds, double busySeconds) {
    public static final RewardStats EMPTY = new RewardStats(0, 0, 0, 0, 0);

    /** Mean seconds from a call to its result; 0 before the first call. */
    public double meanLatencySeconds() {
        return calls == 0 ? 0 : latencySeconds / calls;
    }

    /** Images scored per second of busy wall time; 0 before the first call. */
    public double imagesPerSecond() {
        return busySeconds == 0 ? 0 : images / busySeconds;
    }

    /** The stats as metrics-log entries, e.g. {@code reward_images_per_s}. */
    public Map<String, Object> toMetrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reward_calls", calls);
        m.put("reward_images", images);
        m.put("reward_failed_images", failedImages);
        m.put("reward_latency_mean_s", meanLatencySeconds());
        m.put("reward_busy_s", busySeconds);
        m.put("reward_images_per_s", imagesPerSecond());
        return m;
    }
}
