package ddpo4j.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * A differentiable convolution whose gradients come from a copy with its output channels padded
 * by zero filters to a multiple of {@link #CHANNEL_BLOCK}, and whose values are the plain
 * convolution's.
 *
 * <p>Why: libtorch 2.7.1's oneDNN computes the input gradient of a float32 3x3 convolution wrongly
 * when the output channel count is not a multiple of the kernel's SIMD block (16 floats with
 * AVX-512, 8 with AVX2; measured on an AMD EPYC with AVX-512: right with
 * {@code DNNL_MAX_CPU_ISA=SSE41}, wrong for 4, 15 and 17 channels but right for 8 and 16 with
 * {@code AVX2}, wrong for every count that is not a multiple of 16 with {@code AVX512_CORE}). The
 * padded channels of its blocked buffers are read unzeroed, so the gradient picks up whatever the
 * heap held there: off by 30-100%, or NaN, depending on the allocation history. The forward and the
 * weight and bias gradients are right. The UNet's {@code conv_out} (to 4 channels) ends every
 * forward, so every upstream gradient was garbage on such CPUs.
 *
 * <p>With the zero filters the kernel sees whole blocks. The forward value is the plain
 * convolution's, bit for bit ({@code plain + (padded - padded)}, the difference exactly 0): the
 * padded kernel may round differently, and DDPO-IS needs the training forward to reproduce the
 * sampling forward exactly (importance ratio 1 at the first inner epoch).
 */
final class PaddedConvolution {
    /** oneDNN's widest float32 channel block on x86 (AVX-512); a multiple of the narrower ones. */
    static final long CHANNEL_BLOCK = 16;

    private PaddedConvolution() {}

    /** Whether a convolution to {@code outChannels} needs this when its input gradient is taken. */
    static boolean needed(long outChannels) {
        return outChannels % CHANNEL_BLOCK != 0;
    }

    /** {@code conv(x, weight, bias)}: the plain values, the padded convolution's gradients. */
    static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding) {
        NDArray plain = Functional.plainConv2d(x.stopGradient(), weight.stopGradient(),
                bias == null ? null : bias.stopGradient(), stride, padding);
        NDArray padded = paddedConv2d(x, weight, bias, stride, padding);
        return plain.add(padded.sub(padded.stopGradient())); // the value of plain, the gradient of padded
    }

    /**
     * The convolution computed with zero filters placed before the real ones, then sliced back to
     * the real channels. The zeros live in {@code x}'s manager and come first in each
     * concatenation, so every result lands there, never among the parameters.
     */
    static NDArray paddedConv2d(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding) {
        Shape ws = weight.getShape(); // (out, in, kh, kw)
        long out = ws.get(0);
        long pad = (out + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK * CHANNEL_BLOCK - out;
        NDManager m = x.getManager();
        NDArray zeroFilters = m.zeros(new Shape(pad, ws.get(1), ws.get(2), ws.get(3)), weight.getDataType(),
                weight.getDevice());
        NDArray paddedWeight = zeroFilters.concat(weight, 0); // (pad + out, in, kh, kw)
        NDArray paddedBias = bias == null ? null
                : m.zeros(new Shape(pad), bias.getDataType(), bias.getDevice()).concat(bias, 0);
        NDArray y = Functional.plainConv2d(x, paddedWeight, paddedBias, stride, padding); // (N, pad + out, H', W')
        return y.get(new NDIndex(":, {}:", pad)); // (N, out, H', W')
    }
}
