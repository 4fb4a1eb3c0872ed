package ddpo4j.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.io.ComponentWeights;
import ddpo4j.models.vae.AutoencoderKL;
import ddpo4j.models.vae.AutoencoderKLConfig;
import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.Scopes;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * An image through a Stable Diffusion model's VAE and back (encode to the latent mean, decode):
 * a render that looks like that model's samples (soft edges, shifted colours, halos) while its
 * ground truth is still known. How the judge and the detector are measured on model-like images.
 * Deterministic (no latent sampling); not thread-safe.
 */
public final class VaeRoundTrip implements ImageTransform, AutoCloseable {
    private final NDManager root;
    private final AutoencoderKL vae;

    /** Loads {@code <model>/vae} (a diffusers folder, e.g. models/shapes-sd). */
    public VaeRoundTrip(Path model) {
        this.root = NDManager.newBaseManager();
        this.vae = new AutoencoderKL(AutoencoderKLConfig.read(model.resolve("vae/config.json")));
        ComponentWeights.load(vae, model.resolve("vae"), "diffusion_pytorch_model", root, AutoencoderKL::canonicalKey);
    }

    @Override
    public float[] apply(float[] chw, int height, int width, SplittableRandom random) {
        float[] x = new float[chw.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = chw[i] * 2 - 1; // [0, 1] → [-1, 1] as SD's VAE expects
        }
        try (NDManager m = Scopes.step(root, vae.parameterValues())) {
            NDArray z = vae.encode(HostArrays.floats(m, x, new Shape(1, 3, height, width))).mean();
            float[] y = vae.decode(z).toFloatArray();
            for (int i = 0; i < y.length; i++) {
                y[i] = Math.min(1f, Math.max(0f, (y[i] + 1) / 2));
            }
            return y;
        }
    }

    @Override
    public void close() {
        root.close();
    }
}
