package ddpo4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.TorchGenerator;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The LoRA adapters installed on a network's linear and convolution layers, in module order, with
 * their PEFT / diffusers names ({@code unet.<module path>.lora_A.weight}, {@code ….lora_B.weight}).
 */
public final class LoraLayers {
    /** diffusers' and ddpo-pytorch's choice: every attention projection of the UNet's transformer blocks. */
    public static final List<String> ATTENTION_TARGETS = List.of("to_q", "to_k", "to_v", "to_out.0");

    private final Map<String, LoraAdapter> adapters;
    private final int rank;
    private final double alpha;
    private final List<String> targets;

    private LoraLayers(Map<String, LoraAdapter> adapters, int rank, double alpha, List<String> targets) {
        this.adapters = adapters;
        this.rank = rank;
        this.alpha = alpha;
        this.targets = List.copyOf(targets);
    }

    /**
     * Attaches an adapter of {@code rank} to every {@link Linear} and {@link Conv2d} that one of
     * {@code targets} names, as PEFT's {@code target_modules} does: a module whose path is a target or
     * ends with "." and a target ({@code to_q} names every attention's query projection, {@code conv1}
     * every ResNet block's first convolution). A target that names no such layer is an error (a typo
     * would otherwise train less than asked). The update is scaled by {@code alpha / rank} (PEFT's
     * convention; alpha = rank gives 1, as diffusers 0.17).
     */
    public static LoraLayers install(Module root, List<String> targets, int rank, double alpha) {
        if (rank < 1) {
            throw new Ddpo4jException("LoRA rank must be >= 1, got " + rank);
        }
        if (targets.isEmpty()) {
            throw new Ddpo4jException("no LoRA targets given");
        }
        Map<String, LoraAdapter> found = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        root.namedModules().forEach((path, m) -> {
            String target = targets.stream().filter(t -> path.equals(t) || path.endsWith("." + t)).findFirst()
                    .orElse(null);
            if (target == null) {
                return;
            }
            if (m instanceof Linear linear) {
                found.put(path, linear.attachLora(rank, alpha / rank));
                used.add(target);
            } else if (m instanceof Conv2d conv) {
                found.put(path, conv.attachLora(rank, alpha / rank));
                used.add(target);
            }
        });
        List<String> unused = targets.stream().filter(t -> !used.contains(t)).toList();
        if (!unused.isEmpty()) {
            throw new Ddpo4jException("LoRA target" + (unused.size() > 1 ? "s " : " ") + unused
                    + " name no linear or convolution layer (targets are module names or their last parts,"
                    + " as PEFT's target_modules, e.g. to_q, ff.net.2, conv1)");
        }
        return new LoraLayers(found, rank, alpha, targets);
    }

    /** The module names the adapters were installed by (PEFT's {@code target_modules}). */
    public List<String> targets() {
        return targets;
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
