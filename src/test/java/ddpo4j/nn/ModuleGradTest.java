package ddpo4j.nn;

import static ddpo4j.tensor.GradientCheck.parameters;
import static ddpo4j.tensor.GradientCheck.project;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ddpo4j.tensor.GradientCheck;
import ddpo4j.testing.RandomArrays;
import ddpo4j.testing.RandomWeights;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** float64 central-difference checks of the {@code nn} layers, w.r.t. the input and every parameter. */
class ModuleGradTest {
    @RegisterExtension
    final RandomArrays arrays = new RandomArrays();

    /** Checks {@code forward} w.r.t. {@code x} and all of the module's parameters. */
    private void checkAll(String what, Module module, NDArray x, UnaryOperator<NDArray> forward) {
        RandomWeights.fill(module, arrays.manager(), DataType.FLOAT64, 11);
        Map<String, NDArray> inputs = new LinkedHashMap<>();
        inputs.put("x", x);
        inputs.putAll(parameters(module));
        GradientCheck.of(what, a -> project(forward.apply(a[0]))).check(inputs);
    }

    @Test
    void linear() {
        Linear l = new Linear(5, 3, true);
        checkAll("Linear", l, arrays.randn(2, 4, 5), l::forward);
        Linear noBias = new Linear(5, 3, false);
        checkAll("Linear without bias", noBias, arrays.randn(4, 5), noBias::forward);
    }

    @Test
    void conv2d() {
        Conv2d same = Conv2d.same(3, 4, 3);
        checkAll("Conv2d 3x3 same", same, arrays.randn(2, 3, 5, 5), same::forward);
        Conv2d down = new Conv2d(3, 4, 3, 2, 1);
        checkAll("Conv2d 3x3 stride 2", down, arrays.randn(2, 3, 5, 5), down::forward);
    }

    @Test
    void groupNorm() {
        GroupNorm n = new GroupNorm(2, 4, 1e-5);
        checkAll("GroupNorm", n, arrays.randn(2, 4, 3, 3), n::forward);
    }

    @Test
    void layerNorm() {
        LayerNorm n = new LayerNorm(6, 1e-5);
        checkAll("LayerNorm", n, arrays.randn(2, 3, 6), n::forward);
    }

    @Test
    void embedding() {
        Embedding e = new Embedding(6, 3);
        RandomWeights.fill(e, arrays.manager(), DataType.FLOAT64, 3);
        NDArray ids = arrays.manager().create(new long[] {0, 5, 2, 5}, new Shape(2, 2));
        GradientCheck.of("Embedding", a -> project(e.forward(ids))).coordinates(18).check(parameters(e));
    }

    /** LoRA runs folded into the weight: the gradients must still reach the input, A and B. */
    @Test
    void loraAdaptersOfLinearAndConvolution() {
        Linear l = new Linear(5, 3, true);
        LoraAdapter la = l.attachLora(2, 0.5);
        checkAllWithLora("Linear + LoRA", l, la, arrays.randn(2, 4, 5), l::forward);
        Conv2d c = new Conv2d(3, 4, 3, 2, 1);
        LoraAdapter ca = c.attachLora(2, 1.5);
        checkAllWithLora("Conv2d + LoRA", c, ca, arrays.randn(2, 3, 5, 5), c::forward);
    }

    private void checkAllWithLora(String what, Module module, LoraAdapter lora, NDArray x,
            UnaryOperator<NDArray> forward) {
        RandomWeights.fill(module, arrays.manager(), DataType.FLOAT64, 11);
        lora.a().set(arrays.randn(lora.a().shape().getShape()));
        lora.b().set(arrays.randn(lora.b().shape().getShape()));
        Map<String, NDArray> inputs = new LinkedHashMap<>();
        inputs.put("x", x);
        inputs.putAll(parameters(module));
        inputs.put("lora_A", lora.a().value());
        inputs.put("lora_B", lora.b().value());
        GradientCheck.of(what, a -> project(forward.apply(a[0]))).check(inputs);
    }
}
