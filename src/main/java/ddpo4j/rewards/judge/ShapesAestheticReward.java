package ddpo4j.rewards.judge;

import ddpo4j.Ddpo4jException;
import ddpo4j.io.BundledFiles;
import ddpo4j.models.judge.ShapesAesthetic;
import ddpo4j.rewards.PerSampleReward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.RewardFactory;
import ddpo4j.rewards.RewardOptions;
import ddpo4j.rewards.RewardWorker;
import ddpo4j.rewards.ScoredBatch;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code shapes_aesthetic}: the aesthetic analog's learned predictor ({@code models/shapes-aesthetic},
 * a LAION-style head on the judge's image embedding, fit to {@code preference_rule}), 0..10 like
 * LAION's: the proxy of the paper's aesthetic experiment, with {@code preference_rule} as its gold.
 * Runs on one worker thread without autograd, as {@code judge} does.
 */
public final class ShapesAestheticReward implements PerSampleReward {
    public static final String NAME = "shapes_aesthetic";
    public static final String DEFAULT_MODEL = BundledFiles.PREFIX + "shapes-aesthetic";

    private final ShapesAesthetic model;
    private final int batchSize;
    private final RewardWorker worker = new RewardWorker("ddpo4j-aesthetic");

    public ShapesAestheticReward(ShapesAesthetic model, int batchSize) {
        this.model = model;
        this.batchSize = batchSize;
    }

    /** Registry factory: options model, batch_size. */
    public static RewardFactory factory() {
        return RewardFactory.of(Set.of("model", "batch_size"), ShapesAestheticReward::fromOptions);
    }

    static ShapesAestheticReward fromOptions(RewardOptions o) {
        int batchSize = o.intValue("batch_size", 64, 1);
        String spec = o.string("model", DEFAULT_MODEL);
        o.checkNoUnknown();
        Path dir;
        try {
            dir = BundledFiles.folder(spec, ShapesAesthetic.CONFIG, "./ddpo4j pretrain aesthetic --out models/");
        } catch (Ddpo4jException e) {
            throw o.error(e.getMessage());
        }
        return new ShapesAestheticReward(ShapesAesthetic.load(dir), batchSize);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletableFuture<ScoredBatch> scoreSamples(RewardBatch batch) {
        return worker.submit(() -> {
            ScoredBatch.Builder out = new ScoredBatch.Builder(batch.size());
            for (int from = 0; from < batch.size(); from += batchSize) {
                int to = Math.min(batch.size(), from + batchSize);
                try {
                    double[] s = model.score(batch.images().subList(from, to), batch.height(), batch.width());
                    for (int i = from; i < to; i++) {
                        out.score(i, s[i - from], Map.of());
                    }
                } catch (RuntimeException e) {
                    RewardException err = new RewardException("reward '" + NAME + "' failed on samples " + from + ".."
                            + (to - 1) + ": " + e.getMessage(), e);
                    for (int i = from; i < to; i++) {
                        out.fail(i, err);
                    }
                }
            }
            return out.build();
        });
    }

    @Override
    public void close() {
        worker.close();
        model.close();
    }
}
