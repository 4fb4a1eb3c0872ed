package ddpo4j.models.vae;

import ai.djl.ndarray.NDArray;

/** The VAE's diagonal Gaussian over latents: mean and log-variance (clamped to [-30, 20] as diffusers does). */
public record LatentDistribution(NDArray mean, NDArray logvar) {
    /** {@code mean + exp(logvar / 2) * noise}, noise standard normal of the mean's shape. */
    public NDArray sample(NDArray noise) {
        return mean.add(logvar.mul(0.5).exp().mul(noise));
    }
}
