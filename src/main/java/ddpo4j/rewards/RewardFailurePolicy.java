package ddpo4j.rewards;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * What the trainer does with samples a reward failed to score (after its own retries): stop the run
 * (the default; the trainer saves a resumable checkpoint first) or drop those samples. Neither ever
 * substitutes a value.
 */
public enum RewardFailurePolicy {
    /** Any failed sample stops the run: {@link #apply} throws. */
    STOP,
    /** Failed samples are left out; the trainer keeps {@link ScoredBatch#kept()}. A batch with no survivor still stops. */
    DROP;

    /** {@code stop} or {@code drop} (config key {@code reward_failure}). */
    public static RewardFailurePolicy parse(String value) {
        for (RewardFailurePolicy p : values()) {
            if (p.name().equalsIgnoreCase(value == null ? "" : value.strip())) {
                return p;
            }
        }
        throw new RewardException("reward_failure=" + value + ": expected one of "
                + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }

    /**
     * Returns {@code outcome} if this policy lets the batch go on, else throws a RewardException that
     * names the failed samples and cites the first error.
     */
    public ScoredBatch apply(ScoredBatch outcome) {
        if (outcome.allOk() || (this == DROP && outcome.kept().length > 0)) {
            return outcome;
        }
        outcome.toResult(); // throws: some failed under STOP, or all failed under DROP
        throw new IllegalStateException("unreachable: toResult accepted a batch with failures");
    }

    /** Scores {@code batch} with {@code reward}, waits, and applies this policy. */
    public ScoredBatch score(Reward reward, RewardBatch batch) {
        CompletableFuture<ScoredBatch> f = reward.scoreSamples(batch);
        return apply(f.join());
    }
}
