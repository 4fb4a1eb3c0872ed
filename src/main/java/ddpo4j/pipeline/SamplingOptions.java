package ddpo4j.pipeline;

import ddpo4j.Ddpo4jException;

/**
 * Settings of one sampling call.
 *
 * @param height image height in pixels (0: the UNet's sample_size times the VAE factor)
 * @param width image width in pixels (0: likewise)
 */
public record SamplingOptions(int steps, double guidanceScale, double eta, int height, int width) {
    public SamplingOptions {
        if (steps < 1) {
            throw new Ddpo4jException("steps must be >= 1, got " + steps);
        }
        if (eta < 0) {
            throw new Ddpo4jException("eta must be >= 0, got " + eta);
        }
    }

    /** Whether classifier-free guidance is on: diffusers applies it only for a scale above 1. */
    public boolean guided() {
        return guidanceScale > 1.0;
    }
}
