package ddpo4j.pretrain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ddpo4j.Ddpo4jException;
import ddpo4j.models.clip.CLIPTextModel;
import ddpo4j.models.unet.UNet2DConditionModel;
import ddpo4j.models.vae.AutoencoderKL;
import ddpo4j.rl.AdamW;
import ddpo4j.rl.OptimizerStep;
import ddpo4j.schedulers.DDIMScheduler;
import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.RecipeKernels;
import ddpo4j.tensor.Scopes;
import ddpo4j.tensor.StrictGaussian;
import ddpo4j.text.ClipTokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains the text encoder and the UNet together with the DDPM objective (Ho et al. 2020):
 * {@code x_t = sqrt(abar_t) z0 + sqrt(1 - abar_t) eps}, loss {@code ||eps - eps_theta(x_t, t, c)||^2}
 * (or the v target, as the schedule's {@code prediction_type} says),
 * on latents of a frozen VAE, with a fraction of captions replaced by "" so classifier-free
 * guidance works. Latents of a fixed generated dataset are encoded once up front.
 */
public final class DenoiserTraining {
    /**
     * Settings of one denoiser training run; {@code emaDecay} 0 ships the last weights, else their
     * exponential moving average ({@link Ema}); the learning rate decays to 0 over the last
     * {@code coolDownSteps} steps ({@link CoolDown}).
     */
    public record Settings(int datasetSize, int steps, int batchSize, double learningRate, int coolDownSteps,
            double captionDropout, long seed, double emaDecay) {
        public Settings {
            new CoolDown(learningRate, steps, coolDownSteps); // validates
        }

        CoolDown schedule() {
            return new CoolDown(learningRate, steps, coolDownSteps);
        }
    }

    private DenoiserTraining() {}

    /** Encoded dataset: scaled latents (N, C, h, w) flattened, and one caption per example. */
    record Dataset(float[] latents, int perExample, Shape latentShape, List<String> captions) {}

    static Dataset encode(AutoencoderKL vae, CaptionedImages data, int n, long seed, NDManager root, TrainingLog log) {
        int size = data.size();
        int f = vae.scaleFactor();
        Shape latent = new Shape(vae.config().latentChannels(), size / f, size / f);
        int per = (int) latent.size();
        float[] all = new float[n * per];
        List<String> captions = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(seed);
        double scale = vae.config().scalingFactor();
        int chunk = 32;
        for (int start = 0; start < n; start += chunk) {
            int b = Math.min(chunk, n - start);
            float[] x = new float[b * 3 * size * size];
            for (int i = 0; i < b; i++) {
                CaptionedImages.Example e = data.next(r);
                captions.add(e.caption());
                for (int k = 0; k < e.image().length; k++) {
                    x[i * e.image().length + k] = e.image()[k] * 2 - 1;
                }
            }
            try (NDManager m = Scopes.step(root, vae.parameterValues())) {
                float[] mu = vae.encode(HostArrays.floats(m, x, new Shape(b, 3, size, size))).mean().mul(scale).toFloatArray();
                System.arraycopy(mu, 0, all, start * per, mu.length);
            }
            if (log != null) {
                log.step("encode", Math.min(start + chunk, n), n, Double.NaN);
            }
        }
        return new Dataset(all, per, latent, captions);
    }

    public static void train(UNet2DConditionModel unet, CLIPTextModel text, ClipTokenizer tokenizer, AutoencoderKL vae,
            DDIMScheduler schedule, CaptionedImages data, Settings s, NDManager root, TrainingLog log,
            PhaseCheckpoint checkpoint) {
        train(unet, text, tokenizer, vae, schedule, data, s, root, log, checkpoint, 0);
    }

    /**
     * As above, ending after {@code stopAt} steps of the schedule (0: all {@code s.steps()}): the
     * same weights a full run has at that step (its learning rate and cool-down are the full
     * schedule's), shipped as a finished run would (the EMA when there is one). A stopped run's
     * checkpoint continues to the full schedule if rerun without the stop.
     */
    public static void train(UNet2DConditionModel unet, CLIPTextModel text, ClipTokenizer tokenizer, AutoencoderKL vae,
            DDIMScheduler schedule, CaptionedImages data, Settings s, NDManager root, TrainingLog log,
            PhaseCheckpoint checkpoint, int stopAt) {
        try (RecipeKernels kernels = RecipeKernels.open()) {
            trainOnRecipeKernels(unet, text, tokenizer, vae, schedule, data, s, root, log, checkpoint, stopAt);
        }
    }

    private static void trainOnRecipeKernels(UNet2DConditionModel unet, CLIPTextModel text, ClipTokenizer tokenizer,
            AutoencoderKL vae, DDIMScheduler schedule, CaptionedImages data, Settings s, NDManager root,
            TrainingLog log, PhaseCheckpoint checkpoint, int stopAt) {
        if (stopAt < 0) {
            throw new Ddpo4jException("the UNet phase's stop must be >= 0 (0: none), got " + stopAt);
        }
        int end = stopAt > 0 ? Math.min(stopAt, s.steps()) : s.steps();
        List<NDArray> params = new ArrayList<>(List.of(unet.parameterValues()));
        params.addAll(List.of(text.parameterValues()));
        params.forEach(p -> p.setRequiresGradient(true));
        AdamW adam = new AdamW(params, new AdamW.Options(s.learningRate(), 0.9, 0.999, 1e-2, 1e-8), root);
        OptimizerStep optimizer = new OptimizerStep(root, params, adam, 1.0);
        CoolDown lrSchedule = s.schedule();
        Ema ema = s.emaDecay() > 0 ? new Ema(params, s.emaDecay(), root) : null;
        Map<String, NDArray> state = PhaseCheckpoint.named("param", params);
        if (ema != null) {
            state.putAll(PhaseCheckpoint.named("ema", ema.shadow()));
        }
        PhaseCheckpoint.Resumed resumed = checkpoint.restore(state, adam, root);
        if (resumed.stepsDone() > end) {
            throw new Ddpo4jException("the UNet phase's checkpoint is at step " + resumed.stepsDone()
                    + ", past the stop at step " + end + ": it cannot go back; use another checkpoint folder");
        }
        // A finished phase resumes without encoding the dataset again (minutes at full size).
        Dataset ds = resumed.stepsDone() >= end ? null
                : encode(vae, data, s.datasetSize(), s.seed() ^ 0x5DEECE66DL, root, log);
        float[] abar = schedule.alphasCumprod();
        // epsilon: the UNet predicts the noise; v_prediction (Salimans & Ho 2022): sqrt(abar) eps - sqrt(1 - abar) z0
        boolean predictV = schedule.config().predictionType().equals("v_prediction");
        Map<String, long[]> ids = new HashMap<>();
        int b = s.batchSize();
        int per = ds == null ? 0 : ds.perExample();
        Shape latentRows = ds == null ? null
                : new Shape(b, ds.latentShape().get(0), ds.latentShape().get(1), ds.latentShape().get(2)); // (B, C, h, w)
        double running = resumed.runningLoss();
        NDArray[] scoped = params.toArray(NDArray[]::new);
        for (int step = resumed.stepsDone(); step < end; step++) {
            SplittableRandom r = new SplittableRandom(s.seed() * 1_000_003L + step);
            float[] xt = new float[b * per];
            float[] eps = new float[b * per];
            float[] target = predictV ? new float[b * per] : eps;
            long[] t = new long[b];
            long[] tokens = null;
            int length = 0;
            for (int i = 0; i < b; i++) {
                int idx = r.nextInt(ds.captions().size());
                t[i] = r.nextInt(abar.length);
                float sa = (float) Math.sqrt(abar[(int) t[i]]);
                float sb = (float) Math.sqrt(1 - abar[(int) t[i]]);
                for (int k = 0; k < per; k++) {
                    float e = (float) StrictGaussian.next(r);
                    float z0 = ds.latents()[idx * per + k];
                    eps[i * per + k] = e;
                    xt[i * per + k] = sa * z0 + sb * e;
                    if (predictV) {
                        target[i * per + k] = sa * e - sb * z0;
                    }
                }
                String caption = r.nextDouble() < s.captionDropout() ? "" : ds.captions().get(idx);
                long[] row = ids.computeIfAbsent(caption, c -> toLongs(tokenizer.encode(c)));
                if (tokens == null) {
                    length = row.length;
                    tokens = new long[b * length];
                }
                System.arraycopy(row, 0, tokens, i * length, length);
            }
            double lossValue;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector();
                    NDManager m = Scopes.step(root, scoped)) {
                NDArray context = text.forward(HostArrays.longs(m, tokens, new Shape(b, length)));
                NDArray pred = unet.forward(HostArrays.floats(m, xt, latentRows), HostArrays.longs(m, t), context);
                NDArray loss = pred.sub(HostArrays.floats(m, target, latentRows)).square().mean();
                gc.backward(loss);
                lossValue = loss.getFloat();
            }
            adam.setLearningRate(lrSchedule.at(step));
            optimizer.apply();
            if (ema != null) {
                ema.update(step + 1);
            }
            running = Double.isNaN(running) ? lossValue : 0.98 * running + 0.02 * lossValue;
            checkpoint.maybeSave(step + 1, end, running, state, adam);
            if (log != null) {
                log.step("denoiser", step + 1, end, running);
            }
        }
        params.forEach(p -> p.setRequiresGradient(false));
        if (ema != null) {
            ema.copyToWeights();
        }
    }

    private static long[] toLongs(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }
}
