package ddpo4j.pretrain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.io.SafetensorsWriter;
import ddpo4j.models.judge.JudgeConfig;
import ddpo4j.models.judge.JudgeNet;
import ddpo4j.models.judge.JudgeOutputs;
import ddpo4j.nn.Parameter;
import ddpo4j.rl.AdamW;
import ddpo4j.rl.OptimizerStep;
import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.RecipeKernels;
import ddpo4j.tensor.Scalars;
import ddpo4j.tensor.Scopes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a {@link JudgeNet} on every question at once (where the shapes of each colour × kind are
 * centred, the shapes' colour and kind, the background), AdamW on fresh generated examples each step: step
 * {@code t} sees examples {@code t·B .. t·B + B − 1} of the training stream, so a run is a pure
 * function of the seed (and the thread count), resumed or not. The learning rate drops tenfold
 * for the last quarter of the steps. A checkpoint (weights, AdamW moments, step) is written every
 * {@code checkpointEvery} steps and picked up by the next run on the same file.
 */
public final class JudgeTraining {
    /** Settings of one judge training run. */
    public record Settings(int steps, int batchSize, double learningRate, double weightDecay, int checkpointEvery,
            long seed) {}

    private static final NDIndex ALL = new NDIndex("...");

    private JudgeTraining() {}

    /** The training stream's seed; test examples come from {@link #testSeed}, a different stream. */
    static long trainSeed(long seed) {
        return seed * 2 + 1;
    }

    public static long testSeed(long seed) {
        return seed * 2 + 2_000_000_001L;
    }

    /** The step after which the learning rate is a tenth. */
    static int decayStep(Settings s) {
        return s.steps() * 3 / 4;
    }

    public static void train(JudgeNet net, JudgeExamples data, Settings s, Path checkpoint, NDManager root,
            TrainingLog log) {
        try (RecipeKernels kernels = RecipeKernels.open()) {
            trainOnRecipeKernels(net, data, s, checkpoint, root, log);
        }
    }

    private static void trainOnRecipeKernels(JudgeNet net, JudgeExamples data, Settings s, Path checkpoint,
            NDManager root, TrainingLog log) {
        List<String> names = new ArrayList<>(net.namedParameters().keySet());
        List<NDArray> params = new ArrayList<>(List.of(net.parameterValues()));
        params.forEach(p -> p.setRequiresGradient(true));
        int start = checkpoint != null && Files.isRegularFile(checkpoint) ? restore(net, names, checkpoint) : 0;
        AdamW adam = newAdam(params, s, start, root);
        if (start > 0) {
            loadMoments(adam, names, checkpoint, start);
        }
        OptimizerStep optimizer = new OptimizerStep(root, params, adam, 1.0);
        int b = s.batchSize();
        NDArray[] scoped = params.toArray(NDArray[]::new);
        double running = Double.NaN;
        for (int step = start; step < s.steps(); step++) {
            if (step == decayStep(s) && step > 0) {
                AdamW decayed = newAdam(params, s, step, root);
                copyMoments(adam, decayed);
                adam = decayed;
                optimizer = new OptimizerStep(root, params, adam, 1.0);
            }
            JudgeExamples.Batch batch = data.batch(trainSeed(s.seed()), (long) step * b, b);
            double lossValue;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector();
                    NDManager m = Scopes.step(root, scoped)) {
                NDArray loss = loss(net, batch, m);
                gc.backward(loss);
                lossValue = loss.getFloat();
            }
            optimizer.apply();
            running = Double.isNaN(running) ? lossValue : 0.98 * running + 0.02 * lossValue;
            if (log != null) {
                log.step("judge", step + 1, s.steps(), running);
            }
            if (checkpoint != null && (step + 1) % s.checkpointEvery() == 0 && step + 1 < s.steps()) {
                save(net, names, adam, step + 1, checkpoint);
            }
        }
        params.forEach(p -> p.setRequiresGradient(false));
    }

    /**
     * The centre maps' binary cross-entropy summed over cells and pairs, plus the cross-entropy of
     * the colour, kind and background questions, all averaged over images (an empty image's
     * all-zero colour and kind targets add nothing). Summing over cells keeps the few positive cells
     * (one per shape among 768) from being averaged away.
     */
    static NDArray loss(JudgeNet net, JudgeExamples.Batch batch, NDManager m) {
        JudgeConfig c = net.config();
        int b = batch.size();
        int size = c.imageSize();
        JudgeOutputs o = net.forward(HostArrays.floats(m, batch.images(), new Shape(b, 3, size, size)));
        NDArray centers = binaryCrossEntropy(o.centerLogits(), HostArrays.floats(m, batch.centers(),
                new Shape(b, c.pairs(), c.grid(), c.grid())), b);
        NDArray colors = crossEntropy(o.colorLogits(), HostArrays.floats(m, batch.colors(),
                new Shape(b, c.colors().size())), b);
        NDArray kinds = crossEntropy(o.kindLogits(), HostArrays.floats(m, batch.kinds(),
                new Shape(b, c.kinds().size())), b);
        NDArray backgrounds = crossEntropy(o.backgroundLogits(), HostArrays.floats(m, batch.backgrounds(),
                new Shape(b, c.backgrounds().size())), b);
        return centers.add(colors).add(kinds).add(backgrounds);
    }

    /** −Σ target · log softmax(logits) over the last axis and all rows, divided by {@code rows}. */
    private static NDArray crossEntropy(NDArray logits, NDArray target, double rows) {
        return Scalars.div(logits.logSoftmax(-1).mul(target).sum().neg(), (float) rows); // float: a 0-d double would make the loss float64
    }

    /** Σ softplus(x) − x·t (binary cross-entropy with logits, stable for large |x|) over all cells, divided by {@code rows}. */
    private static NDArray binaryCrossEntropy(NDArray logits, NDArray target, double rows) {
        return Scalars.div(Activation.softPlus(logits).sub(logits.mul(target)).sum(), (float) rows);
    }

    private static AdamW newAdam(List<NDArray> params, Settings s, int step, NDManager root) {
        double lr = step >= decayStep(s) ? s.learningRate() / 10 : s.learningRate();
        return new AdamW(params, new AdamW.Options(lr, 0.9, 0.999, s.weightDecay(), 1e-8), root);
    }

    private static void copyMoments(AdamW from, AdamW to) {
        for (int i = 0; i < from.firstMoments().size(); i++) {
            to.firstMoments().get(i).set(ALL, from.firstMoments().get(i));
            to.secondMoments().get(i).set(ALL, from.secondMoments().get(i));
        }
        to.setStepCount(from.stepCount());
    }

    /** Writes weights, AdamW moments and the step reached, atomically. */
    static void save(JudgeNet net, List<String> names, AdamW adam, int step, Path file) {
        SafetensorsWriter.Builder w = SafetensorsWriter.builder();
        Map<String, Parameter> params = net.namedParameters();
        for (int i = 0; i < names.size(); i++) {
            NDArray p = params.get(names.get(i)).value();
            long[] shape = p.getShape().getShape();
            w.put("model." + names.get(i), p.toFloatArray(), shape);
            w.put("adam_m." + names.get(i), adam.firstMoments().get(i).toFloatArray(), shape);
            w.put("adam_v." + names.get(i), adam.secondMoments().get(i).toFloatArray(), shape);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("step", Integer.toString(step));
        meta.put("adam_step", Long.toString(adam.stepCount()));
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new Ddpo4jException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
        }
        w.write(file, meta);
    }

    /** Loads the checkpoint's weights into {@code net}'s (trainable) arrays in place; returns its step. */
    private static int restore(JudgeNet net, List<String> names, Path file) {
        Map<String, Parameter> params = net.namedParameters();
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            for (String n : names) {
                copyInto(params.get(n).value(), r, "model." + n);
            }
            return Integer.parseInt(r.metadata().get("step"));
        }
    }

    private static void loadMoments(AdamW adam, List<String> names, Path file, int step) {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            for (int i = 0; i < names.size(); i++) {
                copyInto(adam.firstMoments().get(i), r, "adam_m." + names.get(i));
                copyInto(adam.secondMoments().get(i), r, "adam_v." + names.get(i));
            }
            adam.setStepCount(Long.parseLong(r.metadata().get("adam_step")));
        }
    }

    private static void copyInto(NDArray target, SafetensorsReader r, String key) {
        if (!r.contains(key)) {
            throw new Ddpo4jException("checkpoint " + r.file() + " lacks " + key + ": it is not of this judge");
        }
        float[] v = r.floats(key);
        if (v.length != target.getShape().size()) {
            throw new Ddpo4jException("checkpoint " + r.file() + ": " + key + " has " + v.length + " values, the judge "
                    + target.getShape());
        }
        try (NDManager tmp = target.getManager().newSubManager()) {
            target.set(ALL, HostArrays.floats(tmp, v, target.getShape()));
        }
    }
}
