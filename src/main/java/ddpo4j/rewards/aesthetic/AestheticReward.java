package ddpo4j.rewards.aesthetic;

import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.RewardOptions;
import ddpo4j.rewards.RewardResult;
import ddpo4j.rewards.RewardWorker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code aesthetic}: the LAION aesthetic predictor score of each image (ddpo-pytorch's
 * {@code aesthetic_score}), computed in-process on one worker thread in sub-batches.
 * Spec options: {@code model=DIR} (required; see {@link AestheticPredictor#load}) and
 * {@code batch_size} (images per forward, default 8).
 */
public final class AestheticReward implements Reward {
    private final AestheticPredictor predictor;
    private final int batchSize;
    private final RewardWorker worker;

    public AestheticReward(AestheticPredictor predictor, int batchSize) {
        this.predictor = predictor;
        this.batchSize = batchSize;
        this.worker = new RewardWorker("ddpo4j-aesthetic");
    }

    /** Builds the reward from spec options ({@code model}, {@code batch_size}). */
    public static AestheticReward fromOptions(Map<String, String> options) {
        RewardOptions o = new RewardOptions("aesthetic", options);
        Path model = Path.of(o.required("model"));
        int batchSize = o.intValue("batch_size", 8, 1);
        o.checkNoUnknown();
        return new AestheticReward(AestheticPredictor.load(model), batchSize);
    }

    @Override
    public String name() {
        return "aesthetic";
    }

    @Override
    public CompletableFuture<RewardResult> score(RewardBatch batch) {
        return worker.submit(() -> scoreNow(batch));
    }

    private RewardResult scoreNow(RewardBatch batch) {
        double[] scores = new double[batch.size()];
        for (int from = 0; from < batch.size(); from += batchSize) {
            int to = Math.min(batch.size(), from + batchSize);
            float[] s;
            try {
                s = predictor.score(batch.images().subList(from, to), batch.height(), batch.width());
            } catch (RuntimeException e) {
                throw new RewardException("reward 'aesthetic' failed on samples " + from + ".." + (to - 1) + ": " + e, e);
            }
            for (int i = 0; i < s.length; i++) {
                // a non-finite score (e.g. from a NaN image) stays: scoreSamples fails that sample alone as
                // non-finite, and the trainer's NaN policy deals with it
                scores[from + i] = s[i];
            }
        }
        List<Map<String, Object>> info = new ArrayList<>(Collections.nCopies(batch.size(), Map.of()));
        return new RewardResult(scores, info);
    }

    /** Waits for the running batch, then frees the weights. */
    @Override
    public void close() {
        worker.close();
        predictor.close();
    }
}
