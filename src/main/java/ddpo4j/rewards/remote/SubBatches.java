package ddpo4j.rewards.remote;

import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.ScoredBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Splits a batch into requests of at most {@code size} samples and joins their outcomes in order. */
final class SubBatches {
    /** Scores one sub-batch; {@code offset} is its first sample's index in the whole batch, for messages. */
    interface Part {
        CompletableFuture<ScoredBatch> score(int offset, RewardBatch sub);
    }

    private SubBatches() {}

    /** A failing part fails only its own samples; the joined future always completes normally. */
    static CompletableFuture<ScoredBatch> score(String reward, RewardBatch batch, int size, Part part) {
        List<CompletableFuture<ScoredBatch>> parts = new ArrayList<>();
        for (int from = 0; from < batch.size(); from += size) {
            int to = Math.min(batch.size(), from + size);
            int offset = from;
            CompletableFuture<ScoredBatch> f;
            try {
                f = part.score(offset, batch.slice(from, to));
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            parts.add(f.handle((r, e) -> e == null ? r : ScoredBatch.failed(to - offset, RewardException.of(reward, e))));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(v -> ScoredBatch.concat(parts.stream().map(CompletableFuture::join).toList()));
    }
}
