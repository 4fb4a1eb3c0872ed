package ddpo4j.rewards;

import java.util.List;
import java.util.Map;

/** Scores of a batch, one per image, with optional per-image details (answers, sizes, latency…). */
public record RewardResult(double[] scores, List<Map<String, Object>> info) {
    public RewardResult {
        scores = scores.clone();
        info = List.copyOf(info);
        if (info.size() != scores.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + info.size() + " info entries");
        }
    }
}
