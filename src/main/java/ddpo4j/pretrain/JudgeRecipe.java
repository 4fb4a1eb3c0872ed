package ddpo4j.pretrain;

import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.JsonFile;
import ddpo4j.io.SafetensorsWriter;
import ddpo4j.models.judge.JudgeConfig;
import ddpo4j.models.judge.JudgeNet;
import ddpo4j.models.judge.ShapesJudge;
import ddpo4j.nn.Parameter;
import ddpo4j.world.Degradation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recipe of the bundled judge {@code models/shapes-judge}: a {@link JudgeNet} initialized as
 * PyTorch would, trained by {@link JudgeTraining} on augmented renders of the shapes world, written
 * as {@code config.json} + float32 {@code model.safetensors} with provenance, then measured on
 * test renders clean and degraded ({@link #evaluate}).
 */
public final class JudgeRecipe {
    /** Where an interrupted run keeps its state; the next run on the same folder resumes from it. */
    public static final String CHECKPOINT = "checkpoint/judge-checkpoint.safetensors";

    private JudgeRecipe() {}

    /** Trains (or resumes) a judge into {@code out}; the checkpoint is deleted once the weights are written. */
    public static void pretrain(JudgeConfig config, JudgeTraining.Settings s, Path out, Map<String, String> provenance,
            TrainingLog log) {
        try (NDManager root = NDManager.newBaseManager()) {
            JudgeNet net = new JudgeNet(config);
            Initializer.initialize(net, root, s.seed() + 11);
            // A centre is in about 1 of 300 (cell, colour x kind) slots: start the centre logits at that
            // prior (RetinaNet's trick), so the first steps do not spend themselves unlearning p = 0.5.
            Parameter bias = net.namedParameters().get("center_head.bias");
            bias.set(root.full(bias.shape(), (float) Math.log(1 / 300.0)));
            JudgeExamples data = JudgeExamples.training(config, JudgeAugmentation.DEFAULT);
            Path checkpoint = out.resolve(CHECKPOINT);
            JudgeTraining.train(net, data, s, checkpoint, root, log);
            JsonFile.write(out.resolve(ShapesJudge.CONFIG), config.toJson());
            SafetensorsWriter.Builder w = SafetensorsWriter.builder();
            net.namedParameters().forEach((k, p) -> w.put(k, p.value().toFloatArray(), p.shape().getShape()));
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "pt");
            meta.putAll(provenance);
            w.write(out.resolve(ShapesJudge.WEIGHTS), meta);
            Files.deleteIfExists(checkpoint);
            Files.deleteIfExists(checkpoint.getParent());
        } catch (IOException e) {
            throw new Ddpo4jException("cannot remove the finished checkpoint in " + out + ": " + e.getMessage(), e);
        }
    }

    /** The card's test conditions: clean renders, fixed blur + noise, and the training augmentation. */
    public static Map<String, JudgeExamples> testConditions(JudgeConfig c) {
        Map<String, JudgeExamples> m = new LinkedHashMap<>();
        m.put("clean", JudgeExamples.test(c, ImageTransform.NONE));
        m.put("blur 1 + noise 0.05", JudgeExamples.test(c, new Degradation(1, 0.05)::apply));
        m.put("blur 2 + noise 0.1", JudgeExamples.test(c, new Degradation(2, 0.1)::apply));
        m.put("training augmentation (shift, colour jitter, blur, noise)",
                JudgeExamples.training(c, JudgeAugmentation.DEFAULT));
        return m;
    }

    /** Accuracy of the judge in {@code dir} on {@code n} test images per condition of {@link #testConditions}. */
    public static List<JudgeAccuracy.Row> evaluate(Path dir, long seed, int n) {
        List<JudgeAccuracy.Row> rows = new ArrayList<>();
        try (ShapesJudge judge = ShapesJudge.load(dir)) {
            testConditions(judge.config()).forEach((name, t) -> rows.add(JudgeAccuracy.measure(name, judge, t,
                    JudgeTraining.testSeed(seed), n)));
        }
        return rows;
    }
}
