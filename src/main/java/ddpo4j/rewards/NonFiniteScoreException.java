package ddpo4j.rewards;

/**
 * A reward answered NaN or ±Infinity for a sample. Kept apart from other reward failures because
 * the trainer's NaN policy (drop the sample, count it, stop after too many in a row) handles it,
 * not {@code reward_failure}: the reward did answer, the answer is just unusable.
 */
public final class NonFiniteScoreException extends RewardException {
    private static final long serialVersionUID = 1L;

    private final double score;

    public NonFiniteScoreException(String message, double score) {
        super(message);
        this.score = score;
    }

    /** The non-finite value the reward gave. */
    public double score() {
        return score;
    }
}
