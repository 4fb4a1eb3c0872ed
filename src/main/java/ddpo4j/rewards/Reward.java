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

    /** Releases connections, child processes or weights. */
    @Override
    default void close() {}
}
