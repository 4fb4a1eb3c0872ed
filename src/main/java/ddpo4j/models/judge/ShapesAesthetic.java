package ddpo4j.models.judge;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.io.StateDictLoader;
import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.Scopes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The aesthetic analog (a folder: {@code config.json} naming the judge whose embedding it reads,
 * {@code model.safetensors} with the {@link AestheticHead}): predicted preference scores, 0..10
 * like LAION's, for images of the shapes world. Not thread-safe.
 */
public final class ShapesAesthetic implements AutoCloseable {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String MODEL_TYPE = "shapes_aesthetic";

    private final ShapesJudge judge;
    private final AestheticHead head;
    private final NDManager parameters;

    public ShapesAesthetic(ShapesJudge judge, AestheticHead head, NDManager parameters) {
        this.judge = judge;
        this.head = head;
        this.parameters = parameters;
    }

    /**
     * Loads {@code dir}; its config's {@code judge} is a folder relative to {@code dir} (the bundled
     * one names {@code ../shapes-judge}). Missing files, keys or wrong shapes are one clear error.
     */
    public static ShapesAesthetic load(Path dir) {
        Path config = dir.resolve(CONFIG);
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(config) || !Files.isRegularFile(weights)) {
            throw new Ddpo4jException("aesthetic model folder " + dir + " lacks " + CONFIG + " or " + WEIGHTS
                    + " (train one with: ./ddpo4j pretrain aesthetic --out " + dir + ")");
        }
        JsonNode c;
        try {
            c = new ObjectMapper().readTree(config.toFile());
        } catch (IOException e) {
            throw new Ddpo4jException("cannot read " + config + ": " + e.getMessage(), e);
        }
        if (c == null || !MODEL_TYPE.equals(c.path("model_type").asText()) || !c.path("judge").isTextual()) {
            throw new Ddpo4jException(config + ": not a shapes_aesthetic config (model_type, judge)");
        }
        ShapesJudge judge = ShapesJudge.load(dir.resolve(c.get("judge").asText()).normalize());
        AestheticHead head = new AestheticHead(judge.config().embeddingDim());
        NDManager params = NDManager.newBaseManager();
        try (SafetensorsReader r = SafetensorsReader.open(weights)) {
            StateDictLoader.load(head, r, params, UnaryOperator.identity());
        } catch (RuntimeException e) {
            params.close();
            judge.close();
            throw e;
        }
        return new ShapesAesthetic(judge, head, params);
    }

    public ShapesJudge judge() {
        return judge;
    }

    /** Predicted scores of RGB [0, 1] images (the judge's image size). */
    public double[] score(List<float[]> images, int height, int width) {
        return predict(judge.embed(images, height, width));
    }

    /** The head on embeddings already computed. */
    public double[] predict(float[][] embeddings) {
        int d = judge.config().embeddingDim();
        float[] flat = new float[embeddings.length * d];
        for (int i = 0; i < embeddings.length; i++) {
            System.arraycopy(embeddings[i], 0, flat, i * d, d);
        }
        try (NDManager m = Scopes.step(parameters, head.parameterValues())) {
            float[] y = head.forward(HostArrays.floats(m, flat, new Shape(embeddings.length, d))).toFloatArray();
            double[] out = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                out[i] = y[i];
            }
            return out;
        }
    }

    @Override
    public void close() {
        parameters.close();
        judge.close();
    }
}
