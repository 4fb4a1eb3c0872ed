package ddpo4j.rewards;

import java.util.concurrent.CompletableFuture;

/**
 * A reward that scores sample by sample natively (it splits batches, or validates each score), so
 * {@link #score} is derived from {@link #scoreSamples} instead of the other way round.
 */
public interface PerSampleReward extends Reward {
    @Override
    CompletableFuture<ScoredBatch> scoreSamples(RewardBatch batch);

    /** All scores, or a failed future citing the failed samples. */
    @Override
    default CompletableFuture<RewardResult> score(RewardBatch batch) {
        return scoreSamples(batch).thenApply(ScoredBatch::toResult);
    }
}
