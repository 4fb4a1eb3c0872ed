package ddpo4j.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import java.util.Arrays;

/**
 * Functional ops the networks need that DJL lacks or exposes awkwardly, composed from primitives
 * whose gradients PyTorch provides. Every op keeps the activation as its first operand so the
 * result lands in the activation's (per-step) NDManager, never in the parameters' manager.
 */
public final class Functional {
    private static final double QUICK_GELU_ALPHA = 1.702;
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private Functional() {}

    /** SiLU / swish: {@code x * sigmoid(x)}. */
    public static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /** CLIP's quick_gelu: {@code x * sigmoid(1.702 x)}. */
    public static NDArray quickGelu(NDArray x) {
        return x.mul(Activation.sigmoid(Scalars.mul(x, QUICK_GELU_ALPHA)));
    }

    /** Exact (erf) GELU, PyTorch's default {@code F.gelu}. */
    public static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }

    /** GELU with the tanh approximation ({@code gelu_new}, {@code gelu_pytorch_tanh}). */
    public static NDArray geluTanh(NDArray x) {
        NDArray inner = Scalars.mul(x.add(Scalars.mul(Scalars.pow(x, 3), 0.044715)), SQRT_2_OVER_PI);
        return Scalars.mul(x.mul(Activation.tanh(inner).add(1.0)), 0.5);
    }

    /**
     * Group normalization over (N, C, *): statistics per sample and per group of C/groups channels,
     * biased variance as torch computes it, then the per-channel affine transform. The statistics
     * are libtorch's fused layer norm over each group's (C/G * spatial) values, with unit weight and
     * zero bias; composed from mean/var it took ten elementwise passes and was 4-6x slower forward
     * and backward.
     */
    public static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, double eps) {
        Shape shape = x.getShape();
        long n = shape.get(0);
        long c = shape.get(1);
        long perGroup = shape.size() / (n * groups);
        NDArray grouped = x.reshape(n, groups, perGroup); // (N, G, C/G * spatial)
        NDArray normalized = layerNorm(grouped, UnitAffine.ones(x, perGroup), UnitAffine.zeros(x, perGroup), eps)
                .reshape(shape);
        long[] affineShape = new long[shape.dimension() - 1]; // (C, 1, 1, ...)
        Arrays.fill(affineShape, 1);
        affineShape[0] = c;
        return normalized.mul(gamma.reshape(affineShape)).add(beta.reshape(affineShape));
    }

    /** Layer normalization over the last dimension, native in libtorch. */
    public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, double eps) {
        Shape normalized = new Shape(x.getShape().get(x.getShape().dimension() - 1));
        return x.getNDArrayInternal().layerNorm(x, normalized, gamma, beta, (float) eps).singletonOrThrow();
    }

    /** {@code x W^T + b}, native in libtorch; {@code bias} may be null. */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        // Qualified: DJL's Linear, not our module ddpo4j.nn.Linear.
        return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
    }

    /**
     * 2-D convolution with square stride and padding; {@code bias} may be null. Its backward runs
     * ATen's own kernels, never oneDNN's, whose float32 input gradients are wrong on AVX-512 and
     * AVX2 CPUs: see {@link OneDnnConvolutions}.
     */
    public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding) {
        return OneDnnConvolutions.run(
                () -> plainConv2d(x, weight, bias, new Shape(stride, stride), new Shape(padding, padding)));
    }

    static NDArray plainConv2d(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding) {
        // Qualified: DJL's Conv2d, not our module ddpo4j.nn.Conv2d.
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, bias, stride, padding, new Shape(1, 1), 1)
                .singletonOrThrow();
    }

    /** Rows of {@code table} picked by integer {@code ids}: an embedding lookup of any id shape. */
    public static NDArray embedding(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** Nearest-neighbour resize of (N, C, H, W) to (N, C, height, width), torch's {@code mode="nearest"}. */
    public static NDArray upsampleNearest(NDArray x, long height, long width) {
        return x.getNDArrayInternal().interpolation(new long[] {height, width}, 0, false);
    }

    /**
     * Multi-head scaled dot-product attention on (B, L, heads*d) projections:
     * {@code softmax(q k^T * scale + mask) v}, returned as (B, Lq, heads*d). {@code mask} is added
     * to the scores (broadcast over batch and heads) and may be null.
     */
    public static NDArray attention(NDArray q, NDArray k, NDArray v, int heads, double scale, NDArray mask) {
        Shape qs = q.getShape();
        long b = qs.get(0);
        long lq = qs.get(1);
        long inner = qs.get(2);
        long lk = k.getShape().get(1);
        long d = inner / heads;
        // Scale q, not the (Lq, Lk) scores: d multiplications per query instead of Lk, forward and
        // backward (the scores' multiply was 15% of a training epoch's time at 32x32 latents).
        NDArray scaled = scale != 1.0 ? Scalars.mul(q, scale) : q; // not q.mul(double): see Scalars
        NDArray qh = scaled.reshape(b, lq, heads, d).transpose(0, 2, 1, 3); // (B, h, Lq, d)
        NDArray kt = k.reshape(b, lk, heads, d).transpose(0, 2, 3, 1); // (B, h, d, Lk)
        NDArray vh = v.reshape(b, lk, heads, d).transpose(0, 2, 1, 3); // (B, h, Lk, d)
        NDArray scores = qh.matMul(kt); // (B, h, Lq, Lk)
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray out = scores.softmax(-1).matMul(vh); // (B, h, Lq, d)
        return out.transpose(0, 2, 1, 3).reshape(b, lq, inner); // (B, Lq, h*d)
    }
}
