package ddpo4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.TorchGenerator;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The LoRA adapters installed on a network's linear layers, in module order, with their PEFT /
 * diffusers names ({@code unet.<module path>.lora_A.weight}, {@code ….lora_B.weight}).
 */
public final class LoraLayers {
    /** diffusers' and ddpo-pytorch's choice: every attention projection of the UNet's transformer blocks. */
    public static final Pattern ATTENTION_PROJECTIONS = Pattern.compile("(.*\\.)?attn[12]\\.(to_q|to_k|to_v|to_out\\.0)");

    private final Map<String, LoraAdapter> adapters;
    private final int rank;
    private final double alpha;

    private LoraLayers(Map<String, LoraAdapter> adapters, int rank, double alpha) {
        this.adapters = adapters;
        this.rank = rank;
        this.alpha = alpha;
    }

    /**
     * Attaches an adapter of {@code rank} to every {@link Linear} whose path matches {@code targets}.
     * The update is scaled by {@code alpha / rank} (PEFT's convention; alpha = rank gives 1, as diffusers 0.17).
     */
    public static LoraLayers install(Module root, Pattern targets, int rank, double alpha) {
        if (rank < 1) {
            throw new Ddpo4jException("LoRA rank must be >= 1, got " + rank);
        }
        Map<String, LoraAdapter> found = new LinkedHashMap<>();
        root.namedModules().forEach((path, m) -> {
            if (m instanceof Linear linear && targets.matcher(path).matches()) {
                found.put(path, linear.attachLora(rank, alpha / rank));
            }
        });
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no linear layer matches the LoRA targets " + targets);
        }
        return new LoraLayers(found, rank, alpha);
    }

    public int rank() {
        return rank;
    }

    public double alpha() {
        return alpha;
    }

    /** Module path to adapter, in the network's parameter order. */
    public Map<String, LoraAdapter> adapters() {
        return Collections.unmodifiableMap(adapters);
    }

    /** Parameters by PEFT name ({@code prefix + path + ".lora_A.weight"}), A before B, in module order. */
    public Map<String, Parameter> namedParameters(String prefix) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        adapters.forEach((path, a) -> {
            out.put(prefix + path + ".lora_A.weight", a.a());
            out.put(prefix + path + ".lora_B.weight", a.b());
        });
        return out;
    }

    /** PEFT's default init in {@code manager}: A ~ N(0, 1/rank^2) from a torch-compatible generator, B = 0. */
    public void initialize(NDManager manager, long seed) {
        TorchGenerator g = new TorchGenerator(seed);
        for (LoraAdapter a : adapters.values()) {
            int n = (int) a.a().shape().size();
            float[] v = n >= 16 ? g.randn(n) : Arrays.copyOf(g.randn(16), n);
            for (int i = 0; i < n; i++) {
                v[i] /= rank;
            }
            a.a().set(HostArrays.floats(manager, v, a.a().shape()));
            a.b().set(manager.zeros(a.b().shape()));
        }
    }

    public void setEnabled(boolean enabled) {
        adapters.values().forEach(a -> a.setEnabled(enabled));
    }

    public long parameterCount() {
        return namedParameters("").values().stream().mapToLong(p -> p.shape().size()).sum();
    }

    /** All parameter values (A then B per adapter), e.g. for scoping or gradients. */
    public NDArray[] values() {
        return namedParameters("").values().stream().map(Parameter::value).toArray(NDArray[]::new);
    }
}
