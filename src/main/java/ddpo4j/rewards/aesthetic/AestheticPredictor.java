package ddpo4j.rewards.aesthetic;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.ComponentWeights;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.io.StateDictLoader;
import ddpo4j.models.clip.CLIPVisionConfig;
import ddpo4j.models.clip.CLIPVisionModelWithProjection;
import ddpo4j.tensor.Scopes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The LAION aesthetic predictor as ddpo-pytorch's {@code AestheticScorer} runs it: CLIP
 * preprocessing, the CLIP image embedding ({@code get_image_features}), L2 normalization, then
 * the {@link AestheticMLP}. Owns its weights; not thread-safe (callers serialize).
 */
public final class AestheticPredictor implements AutoCloseable {
    /** The head's weights inside the model folder, converted from {@code sac+logos+ava1-l14-linearMSE.pth}. */
    public static final String MLP_FILE = "aesthetic_mlp.safetensors";

    private final CLIPVisionModelWithProjection clip;
    private final AestheticMLP mlp;
    private final ClipImageProcessor processor;
    private final NDManager parameters;
    private final NDArray[] parameterValues;

    public AestheticPredictor(CLIPVisionModelWithProjection clip, AestheticMLP mlp, NDManager parameters) {
        this.clip = clip;
        this.mlp = mlp;
        this.processor = new ClipImageProcessor(clip.config().imageSize());
        this.parameters = parameters;
        NDArray[] c = clip.parameterValues();
        NDArray[] m = mlp.parameterValues();
        this.parameterValues = new NDArray[c.length + m.length];
        System.arraycopy(c, 0, parameterValues, 0, c.length);
        System.arraycopy(m, 0, parameterValues, c.length, m.length);
    }

    /**
     * Loads {@code dir}: {@code config.json} (a CLIPModel or CLIPVisionConfig config),
     * {@code model.safetensors} (a full CLIPModel file, of which only {@code vision_model.*} and
     * {@code visual_projection.*} are read, or a CLIPVisionModelWithProjection file) and
     * {@value #MLP_FILE}.
     */
    public static AestheticPredictor load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new Ddpo4jException("aesthetic model folder " + dir + " does not exist");
        }
        CLIPVisionConfig config = CLIPVisionConfig.read(dir.resolve("config.json"));
        CLIPVisionModelWithProjection clip = new CLIPVisionModelWithProjection(config);
        AestheticMLP mlp = new AestheticMLP(config.projectionDim());
        Path mlpFile = dir.resolve(MLP_FILE);
        if (!Files.isRegularFile(mlpFile)) {
            throw new Ddpo4jException("missing " + mlpFile + ": convert sac+logos+ava1-l14-linearMSE.pth to safetensors"
                    + " (see docs/rewards.md, \"aesthetic\")");
        }
        NDManager params = NDManager.newBaseManager();
        try {
            try (SafetensorsReader r = SafetensorsReader.open(ComponentWeights.file(dir, "model"))) {
                StateDictLoader.load(clip, r, params, UnaryOperator.identity(), CLIPVisionModelWithProjection::ownsKey);
            }
            try (SafetensorsReader r = SafetensorsReader.open(mlpFile)) {
                StateDictLoader.load(mlp, r, params, UnaryOperator.identity());
            }
        } catch (RuntimeException e) {
            params.close();
            throw e;
        }
        params.cap(); // any later allocation among the weights is a leak: fail loudly
        return new AestheticPredictor(clip, mlp, params);
    }

    public CLIPVisionModelWithProjection clip() {
        return clip;
    }

    /** Aesthetic scores of float CHW images in [0, 1], all {@code height} x {@code width}, in one forward. */
    public float[] score(List<float[]> images, int height, int width) {
        int n = images.size();
        int s = processor.size();
        int per = 3 * s * s;
        float[] pixels = new float[n * per];
        for (int i = 0; i < n; i++) {
            System.arraycopy(processor.preprocess(images.get(i), height, width), 0, pixels, i * per, per);
        }
        try (NDManager step = Scopes.step(parameters, parameterValues)) {
            NDArray x = step.create(pixels, new Shape(n, 3, s, s));
            NDArray embed = clip.forward(x); // (B, projection_dim)
            embed = embed.div(embed.norm(new int[] {-1}, true)); // L2-normalize, as ddpo-pytorch
            return mlp.forward(embed).reshape(n).toFloatArray();
        }
    }

    @Override
    public void close() {
        parameters.close();
    }
}
