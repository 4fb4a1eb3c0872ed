package ddpo4j.models.judge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.io.StateDictLoader;
import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.Scopes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A trained {@link JudgeNet} with its weights, ready to answer questions about images or embed
 * them. A judge folder holds {@value #CONFIG} and {@value #WEIGHTS}. Owns its weights; not
 * thread-safe (callers serialize).
 */
public final class ShapesJudge implements AutoCloseable {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";

    private final JudgeNet net;
    private final NDManager parameters;
    private final NDArray[] values;

    public ShapesJudge(JudgeNet net, NDManager parameters) {
        this.net = net;
        this.parameters = parameters;
        this.values = net.parameterValues();
    }

    /** Loads a judge folder; a missing file, a missing or unexpected key or a wrong shape is one clear error. */
    public static ShapesJudge load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new Ddpo4jException("judge model folder " + dir + " does not exist (train one with: ./ddpo4j pretrain"
                    + " judge --out " + dir + ")");
        }
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            throw new Ddpo4jException("missing judge weights " + weights);
        }
        JudgeNet net = new JudgeNet(JudgeConfig.read(dir.resolve(CONFIG)));
        NDManager params = NDManager.newBaseManager();
        try (SafetensorsReader r = SafetensorsReader.open(weights)) {
            StateDictLoader.load(net, r, params, UnaryOperator.identity());
        } catch (RuntimeException e) {
            params.close();
            throw e;
        }
        params.cap(); // any later allocation among the weights is a leak: fail loudly
        return new ShapesJudge(net, params);
    }

    public JudgeConfig config() {
        return net.config();
    }

    public JudgeNet net() {
        return net;
    }

    /** The judge's answers for float CHW RGB images in [0, 1], one forward for the whole list. */
    public List<JudgeAnswers> answer(List<float[]> images, int height, int width) {
        JudgeConfig c = net.config();
        try (NDManager step = Scopes.step(parameters, values)) {
            JudgeOutputs o = net.forward(input(step, images, height, width));
            int n = images.size();
            float[] centers = Activation.sigmoid(o.centerLogits()).toFloatArray(); // (B, P, g, g)
            float[] colors = o.colorLogits().softmax(-1).toFloatArray();
            float[] kinds = o.kindLogits().softmax(-1).toFloatArray();
            float[] backgrounds = o.backgroundLogits().softmax(-1).toFloatArray();
            int cells = c.grid() * c.grid();
            float[] counts = new float[n * c.pairs() * c.countClasses()];
            for (int p = 0; p < n * c.pairs(); p++) {
                float[] d = CellCounts.distribution(centers, p * cells, cells, c.maxCount());
                System.arraycopy(d, 0, counts, p * c.countClasses(), d.length);
            }
            int pc = c.pairs() * c.countClasses();
            int nc = c.colors().size();
            int nk = c.kinds().size();
            int nb = c.backgrounds().size();
            List<JudgeAnswers> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new JudgeAnswers(c, slice(counts, i, pc), slice(colors, i, nc), slice(kinds, i, nk),
                        slice(backgrounds, i, nb)));
            }
            return out;
        }
    }

    /** Image embeddings (the layer every head reads), one row of {@code embeddingDim} per image. */
    public float[][] embed(List<float[]> images, int height, int width) {
        try (NDManager step = Scopes.step(parameters, values)) {
            float[] e = net.embedding(input(step, images, height, width)).toFloatArray();
            int d = net.config().embeddingDim();
            float[][] out = new float[images.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = slice(e, i, d);
            }
            return out;
        }
    }

    private NDArray input(NDManager m, List<float[]> images, int height, int width) {
        int s = net.config().imageSize();
        if (height != s || width != s) {
            throw new Ddpo4jException("the judge reads " + s + "x" + s + " images, got " + height + "x" + width);
        }
        int per = 3 * s * s;
        float[] x = new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, x, i * per, per);
        }
        return HostArrays.floats(m, x, new Shape(images.size(), 3, s, s));
    }

    private static float[] slice(float[] all, int row, int width) {
        float[] out = new float[width];
        System.arraycopy(all, row * width, out, 0, width);
        return out;
    }

    @Override
    public void close() {
        parameters.close();
    }
}
