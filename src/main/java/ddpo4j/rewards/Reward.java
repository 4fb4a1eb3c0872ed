package ddpo4j.rewards;

import java.util.concurrent.CompletableFuture;

/**
 * A black-box reward: scores a batch of images asynchronously, so the trainer can keep sampling
 * while it waits. Implementations know nothing of models; they see pixels, prompts and metadata.
 * A failed future carries a {@link RewardException} naming the reward and the sample.
 */
public interface Reward extends AutoCloseable {
    /** The spec-style name, e.g. {@code jpeg_compressibility} or {@code http}. */
    String name();

    CompletableFuture<RewardResult> score(RewardBatch batch);

    /**
     * Scores a batch sample by sample, for the failure policy: the future always completes normally
     * and each sample carries a score or its error. This default fails every sample when
     * {@link #score} fails; rewards that split batches or validate scores one by one override it so
     * that one bad sub-batch or score fails only its own samples.
     */
    default CompletableFuture<ScoredBatch> scoreSamples(RewardBatch batch) {
        CompletableFuture<RewardResult> future;
        try {
            future = score(batch);
        } catch (RuntimeException e) {
            // A reward that throws instead of failing its future is still a failed reward, not a crash.
            return CompletableFuture.completedFuture(ScoredBatch.failed(batch.size(), RewardException.of(name(), e)));
        }
        return future.handle((result, error) -> error == null
                ? ScoredBatch.of(name(), result, batch.size())
                : ScoredBatch.failed(batch.size(), RewardException.of(name(), error)));
    }

    /** Releases connections, child processes or weights. */
    @Override
    default void close() {}
}
