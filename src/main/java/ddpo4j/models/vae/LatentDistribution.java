package ddpo4j.models.vae;

import ai.djl.ndarray.NDArray;
import ddpo4j.tensor.Scalars;

/** The VAE's diagonal Gaussian over latents: mean and log-variance (clamped to [-30, 20] as diffusers does). */
public record LatentDistribution(NDArray mean, NDArray logvar) {
    /** {@code mean + exp(logvar / 2) * noise}, noise standard normal of the mean's shape. */
    public NDArray sample(NDArray noise) {
        return mean.add(Scalars.mul(logvar, 0.5).exp().mul(noise));
    }
}
