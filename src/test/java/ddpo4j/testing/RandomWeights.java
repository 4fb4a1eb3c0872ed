package ddpo4j.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ddpo4j.nn.Module;
import ddpo4j.nn.Parameter;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded random values for every parameter of a module, for tests that need a working network but
 * no checkpoint. Each parameter's stream is derived from the seed and its state-dict name, so
 * adding a parameter elsewhere in the tree does not change the others' values.
 */
public final class RandomWeights {
    /** Standard deviation of the default N(0, std^2) values: small enough for deep stacks, large enough to matter. */
    public static final double DEFAULT_STD = 0.2;

    private RandomWeights() {}

    /** Fills every parameter with N(0, 0.2^2) values; returns the values in {@code namedParameters()} order. */
    public static NDArray[] fill(Module module, NDManager manager, DataType dtype, long seed) {
        return fill(module, manager, dtype, seed, DEFAULT_STD);
    }

    /**
     * Fills every parameter of {@code module} with N(0, std^2) values created in {@code manager}.
     *
     * @param dtype FLOAT64 or FLOAT32
     * @return the new values in {@code namedParameters()} order, ready for {@code Scopes.step}
     */
    public static NDArray[] fill(Module module, NDManager manager, DataType dtype, long seed, double std) {
        if (dtype != DataType.FLOAT64 && dtype != DataType.FLOAT32) {
            throw new IllegalArgumentException("random weights are float64 or float32, not " + dtype);
        }
        Map<String, Parameter> params = module.namedParameters();
        NDArray[] values = new NDArray[params.size()];
        int i = 0;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            NDArray v = normal(manager, dtype, p.shape(), seed * 0x9E3779B97F4A7C15L + e.getKey().hashCode(), std);
            p.set(v);
            values[i++] = v;
        }
        return values;
    }

    /** A new array of {@code shape} and {@code dtype} (FLOAT64 or FLOAT32) holding seeded N(0, std^2) values. */
    public static NDArray normal(NDManager manager, DataType dtype, Shape shape, long seed, double std) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] data = new double[Math.toIntExact(shape.size())];
        for (int k = 0; k < data.length; k++) {
            data[k] = std * gaussian(random);
        }
        if (dtype == DataType.FLOAT64) {
            return manager.create(data, shape);
        }
        float[] narrow = new float[data.length];
        for (int k = 0; k < data.length; k++) {
            narrow[k] = (float) data[k];
        }
        return manager.create(narrow, shape);
    }

    /** A standard normal by Box-Muller (SplittableRandom has no nextGaussian on Java 17). */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble(); // (0, 1]
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
