package ddpo4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Multiplying by a Java number under autograd. DJL's {@code x.mul(double)} saves a tensor aliasing
 * a Java buffer in the graph; when the garbage collector frees it before the backward pass, the
 * gradients come out wrong or NaN, differently from run to run (it made the kill test's runs
 * differ). {@link Scalars} must give the same gradients however much is collected in between.
 */
class ScalarsTest {
    /** Every op of the networks that multiplies or divides by a Java number, chained. */
    private static final UnaryOperator<NDArray> NUMBER_OPS = x -> {
        NDArray y = Functional.attention(x, x, x, 2, 0.37, null);
        y = Functional.geluTanh(y);
        y = Functional.quickGelu(y);
        return Scalars.div(Scalars.mul(y, 1.7), 3);
    };

    @Test
    void gradientsSurviveAGarbageCollectionBetweenForwardAndBackward() {
        float[] quiet = gradients(NUMBER_OPS, false);
        float[] collected = gradients(NUMBER_OPS, true);
        for (float g : quiet) {
            assertTrue(Float.isFinite(g));
        }
        assertArrayEquals(quiet, collected);
        // for the record: what DJL's own number ops give under the same churn (not asserted: it depends on malloc)
        UnaryOperator<NDArray> djl = x -> x.mul(0.37).mul(x).pow(3).div(3.0);
        System.out.println("DJL number ops, gradients unchanged by a collection: "
                + java.util.Arrays.equals(gradients(djl, false), gradients(djl, true)));
    }

    @Test
    void scalarsHaveDjlsTypeForTheNumberAndAreCached() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(2));
            assertEquals(DataType.FLOAT64, Scalars.of(x, 0.5).getDataType());
            assertEquals(DataType.FLOAT32, Scalars.of(x, 0.5f).getDataType());
            assertEquals(DataType.INT32, Scalars.of(x, 3).getDataType());
            assertSame(Scalars.of(x, 0.25), Scalars.of(x, 0.25));
            // same promotion as x.mul(double): a float32 array stays float32, a 0-d one widens as torch does
            assertEquals(DataType.FLOAT32, Scalars.mul(x, 0.5).getDataType());
            assertArrayEquals(x.add(1).mul(0.3).toFloatArray(), Scalars.mul(x.add(1), 0.3).toFloatArray());
        }
    }

    @Test
    void clipHasClampsValuesAndGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            // inside, on both bounds (torch passes the gradient there), outside on both sides, NaN
            float[] data = {0.5f, 0.9f, 1.1f, 0.2f, 3f, Float.NaN, 1.0f};
            NDArray x = HostArrays.floats(m, data);
            x.setRequiresGradient(true);
            NDArray weights = HostArrays.floats(m, new float[] {1, 2, 3, 4, 5, 6, 7});
            NDArray clipped;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                clipped = Scalars.clip(x, 0.9, 1.1);
                gc.backward(clipped.mul(weights).sum());
            }
            float lo = (float) 0.9;
            float hi = (float) 1.1;
            float[] want = {lo, lo, hi, lo, hi, Float.NaN, 1.0f};
            assertArrayEquals(want, clipped.toFloatArray());
            assertArrayEquals(x.stopGradient().clip(0.9, 1.1).toFloatArray(), clipped.toFloatArray());
            assertArrayEquals(new float[] {0, 2, 3, 0, 0, 0, 7}, x.getGradient().toFloatArray());
        }
    }

    private static float[] gradients(UnaryOperator<NDArray> f, boolean collect) {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] data = new float[2 * 3 * 8];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) StrictMath.sin(0.7 * i);
            }
            NDArray x = HostArrays.floats(m, data, new Shape(2, 3, 8));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = f.apply(x).square().mean();
                if (collect) {
                    churn();
                }
                gc.backward(loss);
            }
            return x.getGradient().toFloatArray();
        }
    }

    /** Collects garbage (freeing unreachable direct buffers) and refills small freed blocks with NaN. */
    private static void churn() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            List<ByteBuffer> junk = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4 + 4 * (i % 4)).order(ByteOrder.nativeOrder());
                while (b.remaining() >= 4) {
                    b.putFloat(Float.NaN);
                }
                junk.add(b);
            }
            try {
                Thread.sleep(20); // the reference handler frees the collected buffers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
