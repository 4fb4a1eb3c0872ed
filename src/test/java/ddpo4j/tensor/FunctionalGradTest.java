package ddpo4j.tensor;

import static ddpo4j.tensor.GradientCheck.project;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ddpo4j.testing.RandomArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** float64 central-difference checks of every op in {@link Functional}. */
class FunctionalGradTest {
    @RegisterExtension
    final RandomArrays arrays = new RandomArrays();

    private NDArray randn(long... shape) {
        return arrays.randn(shape);
    }

    private NDArray randn(double std, long... shape) {
        return arrays.randn(std, shape);
    }

    @Test
    void elementwiseActivations() {
        NDArray x = randn(2, 3, 4).mul(2); // spread over the curved region
        GradientCheck.of("silu", a -> project(Functional.silu(a[0]))).check(x);
        GradientCheck.of("quickGelu", a -> project(Functional.quickGelu(a[0]))).check(x);
        GradientCheck.of("gelu (erf)", a -> project(Functional.gelu(a[0]))).check(x);
        GradientCheck.of("geluTanh", a -> project(Functional.geluTanh(a[0]))).check(x);
    }

    @Test
    void activationsKeepFloat64() {
        NDArray x = randn(3);
        assertEquals(DataType.FLOAT64, Functional.silu(x).getDataType());
        assertEquals(DataType.FLOAT64, Functional.quickGelu(x).getDataType());
        assertEquals(DataType.FLOAT64, Functional.gelu(x).getDataType());
        assertEquals(DataType.FLOAT64, Functional.geluTanh(x).getDataType());
    }

    @Test
    void groupNormWrtInputGammaBeta() {
        NDArray x = randn(2, 6, 3, 3).add(0.5);
        NDArray gamma = randn(6).add(1);
        NDArray beta = randn(6);
        GradientCheck.of("groupNorm (N,C,H,W), 3 groups",
                a -> project(Functional.groupNorm(a[0], 3, a[1], a[2], 1e-5))).check(x, gamma, beta);
        NDArray tokens = randn(2, 4, 5); // (N, C, L): the affine reshape must follow the rank
        GradientCheck.of("groupNorm (N,C,L), 2 groups",
                a -> project(Functional.groupNorm(a[0], 2, a[1], a[2], 1e-6))).check(tokens, randn(4), randn(4));
    }

    @Test
    void layerNormWrtInputGammaBeta() {
        GradientCheck.of("layerNorm", a -> project(Functional.layerNorm(a[0], a[1], a[2], 1e-5)))
                .check(randn(2, 3, 5), randn(5).add(1), randn(5));
    }

    @Test
    void linearWithAndWithoutBias() {
        NDArray x = randn(2, 3, 5);
        NDArray w = randn(4, 5);
        GradientCheck.of("linear", a -> project(Functional.linear(a[0], a[1], a[2]))).check(x, w, randn(4));
        GradientCheck.of("linear without bias", a -> project(Functional.linear(a[0], a[1], null))).check(x, w);
    }

    @Test
    void conv2dStridesAndPaddings() {
        NDArray x = randn(2, 3, 5, 5);
        NDArray w = randn(0.5, 4, 3, 3, 3);
        NDArray b = randn(4);
        for (int stride : new int[] {1, 2}) {
            for (int padding : new int[] {0, 1}) {
                int s = stride;
                int p = padding;
                GradientCheck.of("conv2d 3x3 stride " + s + " padding " + p,
                        a -> project(Functional.conv2d(a[0], a[1], a[2], s, p))).check(x, w, b);
            }
        }
        GradientCheck.of("conv2d 1x1 without bias", a -> project(Functional.conv2d(a[0], a[1], null, 1, 0)))
                .check(x, randn(4, 3, 1, 1));
    }

    @Test
    void embeddingWrtTable() {
        NDArray ids = arrays.manager().create(new long[] {3, 0, 3, 5, 1, 3}, new Shape(2, 3)); // repeats accumulate
        NDArray table = randn(7, 4);
        // Only looked-up rows have gradients; check them all (coordinates >= table size).
        GradientCheck.of("embedding (table)", a -> project(Functional.embedding(ids, a[0])))
                .coordinates(28).check(table);
    }

    @Test
    void upsampleNearest() {
        NDArray x = randn(1, 2, 3, 3);
        GradientCheck.of("upsampleNearest 2x", a -> project(Functional.upsampleNearest(a[0], 6, 6))).check(x);
        GradientCheck.of("upsampleNearest to 7x5", a -> project(Functional.upsampleNearest(a[0], 7, 5))).check(x);
    }

    @Test
    void attentionWithoutMask() {
        NDArray q = randn(2, 3, 8);
        NDArray k = randn(2, 5, 8);
        NDArray v = randn(2, 5, 8);
        GradientCheck.of("attention 2 heads, Lq 3, Lk 5",
                a -> project(Functional.attention(a[0], a[1], a[2], 2, 0.5, null))).check(q, k, v);
        GradientCheck.of("attention scale 1", a -> project(Functional.attention(a[0], a[1], a[2], 4, 1.0, null)))
                .check(q, k, v);
    }

    @Test
    void attentionWithCausalMaskAndWrtMask() {
        int l = 4;
        double[] causal = new double[l * l];
        for (int i = 0; i < l; i++) {
            for (int j = i + 1; j < l; j++) {
                causal[i * l + j] = Double.NEGATIVE_INFINITY;
            }
        }
        NDArray mask = arrays.manager().create(causal, new Shape(l, l));
        NDArray q = randn(2, l, 6);
        NDArray k = randn(2, l, 6);
        NDArray v = randn(2, l, 6);
        GradientCheck.of("attention causal mask", a -> project(Functional.attention(a[0], a[1], a[2], 3, 0.7, mask)))
                .check(q, k, v);
        NDArray bias = randn(l, l); // a finite additive mask is differentiable too
        GradientCheck.of("attention wrt additive mask",
                a -> project(Functional.attention(a[0], a[1], a[2], 3, 0.7, a[3]))).check(q, k, v, bias);
    }
}
