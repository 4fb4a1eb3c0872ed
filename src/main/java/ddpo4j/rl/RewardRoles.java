package ddpo4j.rl;

import ddpo4j.rewards.Reward;

/**
 * The rewards of a run, by role: {@code train} drives learning (the proxy); {@code eval} scores the
 * fixed-seed evaluation ({@code eval.reward}, by default the same object); {@code monitor}, if
 * any, scores every training sample and is never trained on ({@code guard.monitor_reward}): a
 * second opinion whose disagreement with the proxy shows the proxy being gamed.
 */
public record RewardRoles(Reward train, Reward eval, Reward monitor) {
    public RewardRoles {
        if (train == null || eval == null) {
            throw new IllegalArgumentException("a run needs a training and an evaluation reward");
        }
    }

    /** One reward for training and evaluation, no monitor. */
    public static RewardRoles of(Reward reward) {
        return new RewardRoles(reward, reward, null);
    }
}
