package ddpo4j.pretrain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ddpo4j.eval.Stats;
import ddpo4j.models.judge.AestheticHead;
import ddpo4j.models.judge.ShapesJudge;
import ddpo4j.rl.AdamW;
import ddpo4j.rl.OptimizerStep;
import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.Scopes;
import ddpo4j.world.PreferenceRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Fits the aesthetic analog: an {@link AestheticHead} on a frozen judge's image embeddings,
 * regressed onto {@link PreferenceRule} scores of generated images, as LAION's predictor was
 * regressed onto human ratings of CLIP-embedded images. The images are the judge's training stream
 * (its augmentation makes them look like diffusion samples), the rule scored on the very image the
 * judge sees. Full-batch AdamW on the mean squared error; deterministic given the seed and the
 * thread count. Then measured on held-out images, clean and augmented: Pearson correlation and
 * RMSE against the rule.
 */
public final class AestheticTraining {
    /** Settings of one fit. */
    public record Settings(int trainImages, int testImages, int steps, double learningRate, long seed) {}

    /** Agreement of predicted and rule scores on one set of images. */
    public record Agreement(String condition, int n, double pearson, double rmse, double ruleMean, double ruleStd) {}

    private static final int EMBED_BATCH = 64;

    private AestheticTraining() {}

    /** Fits {@code head} (initialized here from the seed); returns the training RMSE after the last step. */
    public static double fit(ShapesJudge judge, AestheticHead head, Settings s, NDManager root, TrainingLog log) {
        Labelled data = labelled(judge, JudgeExamples.training(judge.config(), JudgeAugmentation.DEFAULT),
                JudgeTraining.trainSeed(s.seed()), s.trainImages());
        Initializer.initialize(head, root, s.seed());
        List<NDArray> params = new ArrayList<>(List.of(head.parameterValues()));
        params.forEach(p -> p.setRequiresGradient(true));
        AdamW adam = new AdamW(params, new AdamW.Options(s.learningRate(), 0.9, 0.999, 0, 1e-8), root);
        OptimizerStep optimizer = new OptimizerStep(root, params, adam, Double.POSITIVE_INFINITY);
        int d = judge.config().embeddingDim();
        NDArray x = HostArrays.floats(root, data.flatEmbeddings(), new Shape(data.n(), d));
        NDArray y = HostArrays.floats(root, data.floatLabels(), new Shape(data.n(), 1));
        NDArray[] scoped = params.toArray(NDArray[]::new);
        double mse = Double.NaN;
        for (int step = 0; step < s.steps(); step++) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector();
                    NDManager m = Scopes.step(root, scoped, x, y)) {
                NDArray loss = head.forward(x).sub(y).square().mean();
                gc.backward(loss);
                mse = loss.getFloat();
            }
            optimizer.apply();
            if (log != null) {
                log.step("aesthetic", step + 1, s.steps(), Math.sqrt(mse));
            }
        }
        params.forEach(p -> p.setRequiresGradient(false));
        x.close();
        y.close();
        return Math.sqrt(mse);
    }

    /** Predicted against rule scores on {@code n} held-out images per condition (clean, augmented). */
    public static List<Agreement> measure(ShapesJudge judge, Function<float[][], double[]> predict,
            long seed, int n) {
        Map<String, JudgeExamples> conditions = new LinkedHashMap<>();
        conditions.put("clean renders", JudgeExamples.test(judge.config(), ImageTransform.NONE));
        conditions.put("judge training augmentation (shift, colour jitter, blur, noise)",
                JudgeExamples.training(judge.config(), JudgeAugmentation.DEFAULT));
        List<Agreement> out = new ArrayList<>();
        for (Map.Entry<String, JudgeExamples> c : conditions.entrySet()) {
            Labelled data = labelled(judge, c.getValue(), JudgeTraining.testSeed(seed), n);
            double[] p = predict.apply(data.embeddings());
            out.add(new Agreement(c.getKey(), n, Stats.pearson(p, data.labels()), rmse(p, data.labels()),
                    Stats.mean(data.labels()), Stats.std(data.labels())));
        }
        return out;
    }

    /** Images {@code 0..n-1} of a stream: the judge's embeddings and the rule's scores. */
    record Labelled(float[][] embeddings, double[] labels) {
        int n() {
            return labels.length;
        }

        float[] flatEmbeddings() {
            int d = embeddings[0].length;
            float[] flat = new float[n() * d];
            for (int i = 0; i < n(); i++) {
                System.arraycopy(embeddings[i], 0, flat, i * d, d);
            }
            return flat;
        }

        float[] floatLabels() {
            float[] f = new float[n()];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) labels[i];
            }
            return f;
        }
    }

    static Labelled labelled(ShapesJudge judge, JudgeExamples examples, long stream, int n) {
        int size = judge.config().imageSize();
        float[][] emb = new float[n][];
        double[] labels = new double[n];
        for (int from = 0; from < n; from += EMBED_BATCH) {
            List<float[]> images = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + EMBED_BATCH); i++) {
                float[] img = examples.example(stream, i).image();
                images.add(img);
                labels[i] = PreferenceRule.score(img, size, size).value();
            }
            float[][] e = judge.embed(images, size, size);
            System.arraycopy(e, 0, emb, from, e.length);
        }
        return new Labelled(emb, labels);
    }

    static double rmse(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / a.length);
    }
}
