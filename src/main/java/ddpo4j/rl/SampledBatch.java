package ddpo4j.rl;

import ddpo4j.eval.ImageStatistics;
import ddpo4j.rewards.ScoredBatch;
import java.util.List;

/**
 * One sampling batch of an epoch once scored: its trajectories, the training reward's (and the
 * monitor's, or null) per-sample outcome, its images' statistics and the images to save. The unit
 * ranks exchange after sampling; everything downstream combines batches in batch order.
 */
record SampledBatch(int batch, List<SampleRecord> records, ScoredBatch scores, ScoredBatch monitor,
        ImageStatistics imageStatistics, List<SavedImage> saved) {

    /** Sample image {@code k} of the epoch (CHW floats in [0, 1]), to be written as {@code KK.png}. */
    record SavedImage(int k, float[] chw, int height, int width) {}
}
