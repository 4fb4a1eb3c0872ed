package ddpo4j.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension giving each test a fresh NDManager (closed after the test) and seeded float64
 * N(0, std^2) arrays in it, a different deterministic stream per call:
 * {@code @RegisterExtension final RandomArrays arrays = new RandomArrays();}.
 */
public final class RandomArrays implements BeforeEachCallback, AfterEachCallback {
    private NDManager manager;
    private long seed;

    @Override
    public void beforeEach(ExtensionContext context) {
        manager = NDManager.newBaseManager();
        seed = 1000;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        manager.close();
    }

    public NDManager manager() {
        return manager;
    }

    /** A new float64 array of standard normals. */
    public NDArray randn(long... shape) {
        return randn(1.0, shape);
    }

    /** A new float64 array of N(0, std^2) values. */
    public NDArray randn(double std, long... shape) {
        return RandomWeights.normal(manager, DataType.FLOAT64, new Shape(shape), seed++, std);
    }
}
