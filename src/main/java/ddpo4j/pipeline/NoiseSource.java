package ddpo4j.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Where the sampler's randomness comes from: the initial latents and the variance noise of every DDIM step. */
public interface NoiseSource {
    /** Initial latents x_T for a batch, shape (B, C, h, w). */
    NDArray initialLatents(NDManager manager, Shape shape);

    /** Standard normal noise for DDIM step {@code step} (0-based), shape (B, C, h, w). */
    NDArray stepNoise(NDManager manager, int step, Shape shape);
}
