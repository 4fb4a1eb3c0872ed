package ddpo4j.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * One DDIM step as a Gaussian policy: the previous sample, its log-probability under
 * N(mean, std^2) averaged over (C, H, W) per row, and the mean and std themselves (for KL terms).
 *
 * @param logProb (B) in the inputs' dtype (float32 in sampling and training; the coefficients are
 *     float32 as in the reference either way); null when eta is 0 (the step is then deterministic)
 * @param std (B, 1, 1, 1) per-row standard deviation
 */
public record DDIMStep(NDArray prevSample, NDArray logProb, NDArray mean, NDArray std) {}
