package ddpo4j.rl;

import ddpo4j.rewards.RewardException;

/**
 * How a run ends early: each method checkpoints what can be kept and returns the error to throw,
 * whose message says how to continue. {@link RunCheckpoints} is the implementation.
 */
interface RunStops {
    /** reward_failure=stop and the reward failed during {@code epoch}. */
    RuntimeException rewardFailed(int epoch, RewardException cause);

    /** {@code train.max_nonfinite_in_a_row} events of one kind ({@code what}) in a row; {@code last} says where. */
    RuntimeException nonFiniteInARow(String what, String last);
}
