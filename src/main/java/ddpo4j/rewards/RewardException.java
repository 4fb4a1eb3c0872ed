package ddpo4j.rewards;

import ddpo4j.Ddpo4jException;

/** A reward failed: unreachable, timed out, or answered something unusable. The message names the reward. */
public class RewardException extends Ddpo4jException {
    private static final long serialVersionUID = 1L;

    public RewardException(String message) {
        super(message);
    }

    public RewardException(String message, Throwable cause) {
        super(message, cause);
    }
}
