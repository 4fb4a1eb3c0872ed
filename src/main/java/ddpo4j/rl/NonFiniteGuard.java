package ddpo4j.rl;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trainer's NaN/Inf bookkeeping. A sample whose reward is non-finite is dropped; an optimizer
 * step whose loss or gradient norm is non-finite is skipped. Each is an event, counted per epoch
 * for the metrics and in two streaks: reward batches with a non-finite score in a row, and skipped
 * steps in a row. One event is a fluke worth skipping; {@code maxInARow} of a kind in a row means a
 * broken reward or diverged weights, and the run must stop instead of spinning.
 *
 * <p>The streaks are separate because their causes are: a reward that answers NaN now and then
 * should not stop a run whose updates are all fine, and a good reward batch says nothing about
 * whether the weights still produce finite losses.
 */
final class NonFiniteGuard {
    private final int maxInARow;
    private int rewardStreak;
    private int rewardStreakAtEpochStart;
    private int stepStreak;
    private boolean updatedWeightsNonFinite;
    // this epoch's counts, for metrics.jsonl
    private int events;
    private int stepsSkipped;
    private int samplesDropped;

    NonFiniteGuard(int maxInARow) {
        if (maxInARow < 1) {
            throw new IllegalArgumentException("max_nonfinite_in_a_row must be >= 1");
        }
        this.maxInARow = maxInARow;
    }

    int maxInARow() {
        return maxInARow;
    }

    /** One scored reward batch, {@code nonFinite} of whose samples were dropped; true when the streak reached the limit. */
    boolean rewardBatch(int nonFinite) {
        if (nonFinite == 0) {
            rewardStreak = 0;
            return false;
        }
        events++;
        samplesDropped += nonFinite;
        return ++rewardStreak >= maxInARow;
    }

    void stepTaken() {
        stepStreak = 0;
        updatedWeightsNonFinite = false;
    }

    /**
     * The weights after the epoch's last update gave a non-finite loss: that update may have broken
     * them, so checkpoints wait for a finite step (not an event: no step was skipped).
     */
    void updatedWeightsNonFinite() {
        updatedWeightsNonFinite = true;
    }

    /** One optimizer step skipped for a non-finite loss or gradient norm; true when the streak reached the limit. */
    boolean stepSkipped() {
        events++;
        stepsSkipped++;
        return ++stepStreak >= maxInARow;
    }

    int rewardStreak() {
        return rewardStreak;
    }

    /** Marks the start of an epoch, whose state a checkpoint written mid-epoch must describe. */
    void epochStart() {
        rewardStreakAtEpochStart = rewardStreak;
    }

    int rewardStreakAtEpochStart() {
        return rewardStreakAtEpochStart;
    }

    int stepStreak() {
        return stepStreak;
    }

    /** Restores the reward streak from a checkpoint (a checkpoint is never written inside a step streak). */
    void restoreRewardStreak(int streak) {
        rewardStreak = streak;
    }

    /**
     * Whether a checkpoint may be written now. Not while skipped steps are unresolved, nor after an
     * update that left weights giving a non-finite loss: the update before them may be what broke
     * the weights, and the checkpoint before must stay the newest (and not be pruned) so that
     * {@code --resume} goes back to it.
     */
    boolean checkpointAllowed() {
        return stepStreak == 0 && !updatedWeightsNonFinite;
    }

    /** Why {@link #checkpointAllowed} says no, for the warning. */
    String holdBackReason() {
        return stepStreak > 0 ? "the last " + stepStreak + " optimizer step(s) were skipped as non-finite"
                : "the updated weights give a non-finite loss";
    }

    /** This epoch's counters for metrics.jsonl; starts the next epoch's from zero. */
    Map<String, Object> epochMetrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nonfinite_skipped", events);
        m.put("nonfinite_steps_skipped", stepsSkipped);
        m.put("nonfinite_rewards_dropped", samplesDropped);
        events = 0;
        stepsSkipped = 0;
        samplesDropped = 0;
        return m;
    }
}
