package ddpo4j.pretrain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ddpo4j.Ddpo4jException;
import ddpo4j.models.vae.AutoencoderKL;
import ddpo4j.models.vae.LatentDistribution;
import ddpo4j.rl.AdamW;
import ddpo4j.rl.OptimizerStep;
import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.RecipeKernels;
import ddpo4j.tensor.Scalars;
import ddpo4j.tensor.Scopes;
import ddpo4j.tensor.StrictGaussian;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains an {@link AutoencoderKL} from scratch: mean squared reconstruction error of images in
 * [-1, 1] plus a small KL term pulling the latent Gaussian towards N(0, 1), AdamW, one fresh batch
 * of generated images per step (batch {@code s} drawn from a stream seeded by (seed, s)).
 */
public final class VaeTraining {
    /**
     * Settings of one VAE training run. {@code crop} 0 trains on whole images; else on a random
     * {@code crop x crop} window of each (the networks are convolutional, so they then run on whole
     * images as SD's VAE, trained on 256 px crops, runs at 512 px): at 32 of 64 px a step costs a
     * quarter, which matters while training convolutions run ATen's slower kernels.
     */
    public record Settings(int steps, int batchSize, double learningRate, double klWeight, long seed, int crop) {
        public Settings(int steps, int batchSize, double learningRate, double klWeight, long seed) {
            this(steps, batchSize, learningRate, klWeight, seed, 0);
        }
    }

    private VaeTraining() {}

    public static void train(AutoencoderKL vae, CaptionedImages data, Settings s, NDManager root, TrainingLog log,
            PhaseCheckpoint checkpoint) {
        train(vae, List.of(vae.parameterValues()), "vae", data, s, root, log, checkpoint);
    }

    /**
     * Trains only the decoder (and post-quantization conv) on the frozen encoder's latents: sharper
     * images and truer colours without moving the latent space a denoiser was trained on.
     */
    public static void refineDecoder(AutoencoderKL vae, CaptionedImages data, Settings s, NDManager root,
            TrainingLog log, PhaseCheckpoint checkpoint) {
        train(vae, vae.decoderParameters(), "decoder", data, s, root, log, checkpoint);
    }

    private static void train(AutoencoderKL vae, List<NDArray> params, String phase, CaptionedImages data, Settings s,
            NDManager root, TrainingLog log, PhaseCheckpoint checkpoint) {
        try (RecipeKernels kernels = RecipeKernels.open()) {
            trainOnRecipeKernels(vae, params, phase, data, s, root, log, checkpoint);
        }
    }

    private static void trainOnRecipeKernels(AutoencoderKL vae, List<NDArray> params, String phase,
            CaptionedImages data, Settings s, NDManager root, TrainingLog log, PhaseCheckpoint checkpoint) {
        params.forEach(p -> p.setRequiresGradient(true));
        AdamW adam = new AdamW(params, new AdamW.Options(s.learningRate(), 0.9, 0.999, 0.0, 1e-8), root);
        OptimizerStep optimizer = new OptimizerStep(root, params, adam, 1.0);
        int full = data.size();
        if (s.crop() < 0 || s.crop() > full || s.crop() % vae.scaleFactor() != 0) {
            throw new Ddpo4jException("VAE crop " + s.crop() + " must be 0 (whole images) or a multiple of "
                    + vae.scaleFactor() + " up to " + full);
        }
        int size = s.crop() == 0 ? full : s.crop();
        Shape shape = new Shape(s.batchSize(), 3, size, size); // (B, 3, crop, crop)
        Map<String, NDArray> state = PhaseCheckpoint.named("param", params);
        PhaseCheckpoint.Resumed resumed = checkpoint.restore(state, adam, root);
        double running = resumed.runningLoss();
        for (int step = resumed.stepsDone(); step < s.steps(); step++) {
            SplittableRandom r = new SplittableRandom(s.seed() * 1_000_003L + step);
            float[] batch = new float[(int) shape.size()];
            int per = 3 * size * size;
            for (int i = 0; i < s.batchSize(); i++) {
                float[] img = data.next(r).image();
                // whole images draw nothing more from the stream, so runs without crops are unchanged
                int ox = size == full ? 0 : r.nextInt(full - size + 1);
                int oy = size == full ? 0 : r.nextInt(full - size + 1);
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < size; y++) {
                        for (int x = 0; x < size; x++) {
                            // [0, 1] -> [-1, 1] as SD's VAE expects
                            batch[i * per + (c * size + y) * size + x] = img[(c * full + oy + y) * full + ox + x] * 2 - 1;
                        }
                    }
                }
            }
            float[] eps = new float[s.batchSize() * vae.config().latentChannels() * (size / vae.scaleFactor())
                    * (size / vae.scaleFactor())];
            for (int k = 0; k < eps.length; k++) {
                eps[k] = (float) StrictGaussian.next(r);
            }
            double lossValue;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector();
                    NDManager m = Scopes.step(root, vae.parameterValues())) {
                NDArray x = HostArrays.floats(m, batch, shape);
                LatentDistribution d = vae.encode(x);
                NDArray z = d.sample(HostArrays.floats(m, eps, d.mean().getShape()));
                NDArray recon = vae.decode(z);
                NDArray mse = recon.sub(x).square().mean();
                // KL(N(mu, sigma^2) || N(0, 1)) per latent element
                NDArray kl = Scalars.mul(d.mean().square().add(d.logvar().exp()).sub(1).sub(d.logvar()), 0.5).mean();
                NDArray loss = mse.add(Scalars.mul(kl, s.klWeight()));
                gc.backward(loss);
                lossValue = mse.getFloat();
            }
            optimizer.apply();
            running = Double.isNaN(running) ? lossValue : 0.98 * running + 0.02 * lossValue;
            checkpoint.maybeSave(step + 1, s.steps(), running, state, adam);
            if (log != null) {
                log.step(phase, step + 1, s.steps(), running);
            }
        }
        params.forEach(p -> p.setRequiresGradient(false));
    }

    /** 1 / std of latent means over {@code n} images: SD's scaling_factor, so scaled latents have unit variance. */
    public static double scalingFactor(AutoencoderKL vae, CaptionedImages data, int n, long seed, NDManager root) {
        SplittableRandom r = new SplittableRandom(seed);
        int size = data.size();
        double sum = 0;
        double sumSq = 0;
        long count = 0;
        for (int i = 0; i < n; i++) {
            float[] img = data.next(r).image();
            float[] x = new float[img.length];
            for (int k = 0; k < img.length; k++) {
                x[k] = img[k] * 2 - 1;
            }
            try (NDManager m = Scopes.step(root, vae.parameterValues())) {
                float[] mu = vae.encode(HostArrays.floats(m, x, new Shape(1, 3, size, size))).mean().toFloatArray();
                for (float v : mu) {
                    sum += v;
                    sumSq += (double) v * v;
                    count++;
                }
            }
        }
        double mean = sum / count;
        return 1 / Math.sqrt(sumSq / count - mean * mean);
    }
}
