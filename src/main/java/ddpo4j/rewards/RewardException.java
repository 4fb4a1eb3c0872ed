package ddpo4j.rewards;

import ddpo4j.Ddpo4jException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** A reward failed: unreachable, timed out, or answered something unusable. The message names the reward. */
public class RewardException extends Ddpo4jException {
    private static final long serialVersionUID = 1L;

    public RewardException(String message) {
        super(message);
    }

    public RewardException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * {@code failure} as a RewardException: unwrapped from the CompletionException a future adds, and
     * wrapped with the reward's name when it is anything else (a user reward's bug, say).
     */
    public static RewardException of(String reward, Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof RewardException r) {
            return r;
        }
        return new RewardException("reward '" + reward + "' failed: " + t, t);
    }
}
