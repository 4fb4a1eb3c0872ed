package ddpo4j.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ddpo4j.nn.Conv2d;
import ddpo4j.nn.Embedding;
import ddpo4j.nn.GroupNorm;
import ddpo4j.nn.LayerNorm;
import ddpo4j.nn.Linear;
import ddpo4j.nn.Module;
import ddpo4j.nn.Parameter;
import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.StrictGaussian;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * PyTorch's default initialization for a freshly built network, from a seed: linear and
 * convolution weights and biases uniform in ±1/sqrt(fan_in) (kaiming_uniform with a = sqrt(5)),
 * norms weight 1 / bias 0, embeddings N(0, 0.02) as CLIP initializes them.
 */
public final class Initializer {
    private Initializer() {}

    public static void initialize(Module root, NDManager manager, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        root.namedModules().forEach((path, m) -> {
            Map<String, Parameter> own = ownParameters(m);
            if (m instanceof Linear || m instanceof Conv2d) {
                Parameter w = own.get("weight");
                long fanIn = w.shape().size() / w.shape().get(0);
                double bound = 1 / Math.sqrt(fanIn);
                own.forEach((name, p) -> p.set(uniform(manager, p, bound, r)));
            } else if (m instanceof GroupNorm || m instanceof LayerNorm) {
                own.get("weight").set(manager.ones(own.get("weight").shape()));
                own.get("bias").set(manager.zeros(own.get("bias").shape()));
            } else if (m instanceof Embedding) {
                Parameter w = own.get("weight");
                float[] v = new float[(int) w.shape().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (0.02 * StrictGaussian.next(r));
                }
                w.set(HostArrays.floats(manager, v, w.shape()));
            }
        });
        root.namedParameters().forEach((k, p) -> {
            if (!p.isSet()) {
                throw new IllegalStateException("no initializer for parameter " + k);
            }
        });
    }

    /** Parameters declared by {@code m} itself (not its children). */
    private static Map<String, Parameter> ownParameters(Module m) {
        Map<String, Parameter> all = new LinkedHashMap<>(m.namedParameters());
        all.keySet().removeIf(k -> k.contains("."));
        return all;
    }

    private static NDArray uniform(NDManager manager, Parameter p, double bound, SplittableRandom r) {
        float[] v = new float[(int) p.shape().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
        }
        return HostArrays.floats(manager, v, p.shape());
    }
}
