package ddpo4j.models;

import static ddpo4j.tensor.GradientCheck.parameters;
import static ddpo4j.tensor.GradientCheck.project;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ddpo4j.models.clip.CLIPEncoderLayer;
import ddpo4j.models.clip.CLIPTextConfig;
import ddpo4j.models.common.Attention;
import ddpo4j.models.common.ResnetBlock2D;
import ddpo4j.models.unet.BasicTransformerBlock;
import ddpo4j.models.unet.Transformer2DModel;
import ddpo4j.nn.ActivationFunction;
import ddpo4j.nn.Module;
import ddpo4j.tensor.GradientCheck;
import ddpo4j.testing.RandomArrays;
import ddpo4j.testing.RandomWeights;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * float64 central-difference checks of the networks' building blocks, w.r.t. their activation
 * inputs and every parameter (3 coordinates each plus the largest-gradient one).
 */
class BlockGradTest {
    @RegisterExtension
    final RandomArrays arrays = new RandomArrays();

    private NDArray randn(long... shape) {
        return arrays.randn(shape);
    }

    /**
     * Fills {@code module} with random float64 weights, then checks {@code forward} (given the
     * activation inputs {@code a[0..]} in the order of {@code activations}) w.r.t. the activations
     * and all parameters.
     */
    private void check(String what, Module module, Map<String, NDArray> activations,
            Function<NDArray[], NDArray> forward) {
        RandomWeights.fill(module, arrays.manager(), DataType.FLOAT64, 7);
        Map<String, NDArray> inputs = new LinkedHashMap<>(activations);
        inputs.putAll(parameters(module));
        GradientCheck.of(what, a -> project(forward.apply(a))).coordinates(3).check(inputs);
    }

    private static Map<String, NDArray> ordered(String n1, NDArray a1, String n2, NDArray a2) {
        Map<String, NDArray> in = new LinkedHashMap<>();
        in.put(n1, a1);
        in.put(n2, a2);
        return in;
    }

    @Test
    void resnetBlockWithTimeEmbeddingAndShortcut() {
        ResnetBlock2D block = new ResnetBlock2D(4, 8, 6, 2, 1e-5, ActivationFunction.SILU, 1.0);
        check("ResnetBlock2D 4->8 with temb", block, ordered("x", randn(2, 4, 3, 3), "temb", randn(2, 6)),
                a -> block.forward(a[0], a[1]));
    }

    @Test
    void resnetBlockWithoutTimeEmbeddingScaled() {
        ResnetBlock2D block = new ResnetBlock2D(4, 4, 0, 2, 1e-6, ActivationFunction.SILU, 2.0);
        check("ResnetBlock2D 4->4 no temb, scale 2", block, Map.of("x", randn(1, 4, 3, 3)),
                a -> block.forward(a[0], null));
    }

    @Test
    void selfAttention() {
        Attention attn = new Attention(8, 0, 2, 4, false);
        check("Attention self", attn, Map.of("x", randn(2, 3, 8)), a -> attn.forward(a[0], null));
    }

    @Test
    void crossAttentionWithBiases() {
        Attention attn = new Attention(8, 6, 2, 4, true);
        check("Attention cross", attn, ordered("x", randn(2, 3, 8), "context", randn(2, 5, 6)),
                a -> attn.forward(a[0], a[1]));
    }

    @Test
    void basicTransformerBlock() {
        BasicTransformerBlock block = new BasicTransformerBlock(8, 2, 4, 6);
        check("BasicTransformerBlock", block, ordered("x", randn(2, 4, 8), "context", randn(2, 3, 6)),
                a -> block.forward(a[0], a[1]));
    }

    @Test
    void transformer2dWithConvProjections() {
        transformer2d(false);
    }

    @Test
    void transformer2dWithLinearProjections() {
        transformer2d(true);
    }

    private void transformer2d(boolean linear) {
        Transformer2DModel t = new Transformer2DModel(8, 2, 4, 6, 4, linear);
        check("Transformer2DModel " + (linear ? "linear" : "conv") + " projections", t,
                ordered("x", randn(2, 8, 2, 3), "context", randn(2, 3, 6)),
                a -> t.forward(a[0], a[1]));
    }

    @Test
    void clipEncoderLayerWithCausalMask() {
        CLIPTextConfig config = new CLIPTextConfig(10, 8, 16, 1, 2, 4, ActivationFunction.QUICK_GELU, 1e-5);
        CLIPEncoderLayer layer = new CLIPEncoderLayer(config);
        int l = 4;
        float[] causal = new float[l * l]; // float32 as CLIPTextTransformer builds it: promotes against float64
        for (int i = 0; i < l; i++) {
            for (int j = i + 1; j < l; j++) {
                causal[i * l + j] = Float.NEGATIVE_INFINITY;
            }
        }
        NDArray mask = arrays.manager().create(causal, new Shape(l, l));
        check("CLIPEncoderLayer causal", layer, Map.of("x", randn(2, l, 8)), a -> layer.forward(a[0], mask));
    }
}
