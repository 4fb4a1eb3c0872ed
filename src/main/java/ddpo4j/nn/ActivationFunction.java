package ddpo4j.nn;

import ai.djl.ndarray.NDArray;
import ddpo4j.tensor.Functional;
import java.util.function.UnaryOperator;

/** The element-wise activations named in diffusers/transformers configs ({@code act_fn}, {@code hidden_act}). */
public enum ActivationFunction {
    SILU("silu", Functional::silu),
    SWISH("swish", Functional::silu),
    GELU("gelu", Functional::gelu),
    GELU_TANH("gelu_new", Functional::geluTanh),
    GELU_PYTORCH_TANH("gelu_pytorch_tanh", Functional::geluTanh),
    QUICK_GELU("quick_gelu", Functional::quickGelu);

    private final String configName;
    private final UnaryOperator<NDArray> fn;

    ActivationFunction(String configName, UnaryOperator<NDArray> fn) {
        this.configName = configName;
        this.fn = fn;
    }

    public NDArray apply(NDArray x) {
        return fn.apply(x);
    }

    public static String[] configNames() {
        ActivationFunction[] v = values();
        String[] out = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i].configName;
        }
        return out;
    }

    public static ActivationFunction fromConfig(String name) {
        for (ActivationFunction a : values()) {
            if (a.configName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation " + name);
    }
}
