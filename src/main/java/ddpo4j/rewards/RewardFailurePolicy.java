package ddpo4j.rewards;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the trainer does with samples a reward failed to score (after its own retries): stop the run
 * (the default; the trainer saves a resumable checkpoint first) or drop those samples. Neither ever
 * substitutes a value. A non-finite score is not a failure here: the trainer's NaN policy handles it.
 */
public enum RewardFailurePolicy {
    /** Any failed sample stops the run. */
    STOP,
    /** Failed samples are left out of the epoch, even a whole batch; only an epoch where every sample failed stops. */
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

    /** Whether a batch with {@code failed} failed samples stops the run. */
    public boolean stopsOnBatch(int failed) {
        return this == STOP && failed > 0;
    }

    /** Whether an epoch of {@code samples} samples of which the reward failed {@code failed} stops the run. */
    public boolean stopsOnEpoch(int failed, int samples) {
        return failed > 0 && failed == samples;
    }
}
