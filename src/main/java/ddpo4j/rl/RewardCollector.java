package ddpo4j.rl;

import ddpo4j.Ddpo4jException;
import ddpo4j.rewards.NonFiniteScoreException;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.RewardFailurePolicy;
import ddpo4j.rewards.ScoredBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Goes through each sampling batch's scores in batch order (so results are placed by sample index,
 * never by arrival) and keeps the samples that got a score. A non-finite score drops its sample
 * (the NaN policy, {@link NonFiniteGuard}); any other failure goes to the one
 * {@link RewardFailurePolicy}: stop, or drop the failed samples.
 */
final class RewardCollector {
    private final RewardFailurePolicy policy;
    private final NonFiniteGuard nonFinite;
    private final TrainingListener listener;
    private final RunStops stops;
    private final String rewardName;

    RewardCollector(String rewardName, RewardFailurePolicy policy, NonFiniteGuard nonFinite, TrainingListener listener,
            RunStops stops) {
        this.rewardName = rewardName;
        this.policy = policy;
        this.nonFinite = nonFinite;
        this.listener = listener;
        this.stops = stops;
    }

    /**
     * Goes through {@code pending} (the scores of each sampling batch of {@code batchSize} samples, in
     * batch order), leaves only the scored samples in {@code buffer} and returns their rewards.
     */
    double[] collect(int epoch, TrajectoryBuffer buffer, List<ScoredBatch> pending, int batchSize) {
        List<SampleRecord> samples = buffer.samples();
        List<SampleRecord> kept = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < pending.size(); i++) {
            ScoredBatch batch = pending.get(i);
            List<String> nonFiniteHere = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            RewardException firstFailure = null;
            for (int r = 0; r < batchSize; r++) {
                SampleRecord sample = samples.get(i * batchSize + r);
                if (batch.ok(r)) {
                    kept.add(sample);
                    scores.add(batch.score(r));
                } else if (batch.error(r) instanceof NonFiniteScoreException e) {
                    nonFiniteHere.add(e.score() + " for sample " + sample.index() + " (prompt \"" + sample.prompt()
                            + "\")");
                } else {
                    firstFailure = firstFailure == null ? batch.error(r) : firstFailure;
                    failures.add(sample.index() + ": " + batch.error(r).getMessage());
                }
            }
            if (policy.stopsOnBatch(failures.size())) {
                throw stops.rewardFailed(epoch, firstFailure);
            }
            if (!failures.isEmpty()) {
                failed += failures.size();
                listener.message("epoch " + epoch + ": dropping " + failures.size() + " sample(s) the reward failed"
                        + " to score; first: " + failures.get(0));
            }
            boolean stop = nonFinite.rewardBatch(nonFiniteHere.size());
            if (!nonFiniteHere.isEmpty()) {
                String where = "epoch " + epoch + ", reward batch " + i + ": non-finite reward "
                        + String.join(", ", nonFiniteHere);
                listener.warning(where + ": sample(s) dropped (" + nonFinite.rewardStreak() + " such batch(es) in a row,"
                        + " the run stops at " + nonFinite.maxInARow() + ")");
                if (stop) {
                    throw stops.nonFiniteInARow("reward batches with a non-finite score", where);
                }
            }
        }
        if (policy.stopsOnEpoch(failed, samples.size())) {
            throw new Ddpo4jException("epoch " + epoch + ": every reward batch failed");
        }
        buffer.retain(kept);
        return scores.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
