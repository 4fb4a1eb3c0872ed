package ddpo4j.pretrain;

import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.JsonFile;
import ddpo4j.io.SafetensorsWriter;
import ddpo4j.models.judge.AestheticHead;
import ddpo4j.models.judge.ShapesAesthetic;
import ddpo4j.models.judge.ShapesJudge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pretrain aesthetic}: fits the aesthetic analog on a judge ({@link AestheticTraining}),
 * writes the model folder ({@code config.json} naming the judge relative to the folder, float32
 * {@code model.safetensors}), reloads it and measures it on held-out images.
 */
public final class AestheticRecipe {
    private AestheticRecipe() {}

    /** Returns the agreement rows measured on the written model, as loaded back. */
    public static List<AestheticTraining.Agreement> pretrain(Path judgeDir, Path out, AestheticTraining.Settings s,
            Map<String, String> provenance, TrainingLog log) {
        if (Files.exists(out.resolve(ShapesAesthetic.WEIGHTS))) {
            throw new Ddpo4jException("--out " + out + " already holds an aesthetic model; choose another folder or delete it");
        }
        try (ShapesJudge judge = ShapesJudge.load(judgeDir); NDManager root = NDManager.newBaseManager()) {
            AestheticHead head = new AestheticHead(judge.config().embeddingDim());
            double rmse = AestheticTraining.fit(judge, head, s, root, log);
            SafetensorsWriter.Builder w = SafetensorsWriter.builder();
            head.namedParameters().forEach((k, p) -> w.put(k, p.value().toFloatArray(), p.shape().getShape()));
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "pt");
            meta.putAll(provenance);
            meta.put("ddpo4j.train_rmse", Double.toString(rmse));
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("model_type", ShapesAesthetic.MODEL_TYPE);
            config.put("judge", out.toAbsolutePath().normalize().relativize(judgeDir.toAbsolutePath().normalize()).toString());
            config.put("embedding_dim", judge.config().embeddingDim());
            config.put("hidden", AestheticHead.HIDDEN);
            config.put("rule", "preference_rule (ddpo4j.world.PreferenceRule)");
            JsonFile.write(out.resolve(ShapesAesthetic.CONFIG), config);
            w.write(out.resolve(ShapesAesthetic.WEIGHTS), meta);
        }
        try (ShapesAesthetic model = ShapesAesthetic.load(out)) {
            return AestheticTraining.measure(model.judge(), model::predict, s.seed(), s.testImages());
        }
    }
}
