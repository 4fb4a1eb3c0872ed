package ddpo4j.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.Ddpo4jException;
import ddpo4j.models.clip.CLIPTextModel;
import ddpo4j.models.unet.UNet2DConditionModel;
import ddpo4j.models.vae.AutoencoderKL;
import ddpo4j.schedulers.DDIMScheduler;
import ddpo4j.schedulers.DDIMSchedulerConfig;
import ddpo4j.schedulers.DDIMStep;
import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.Scalars;
import ddpo4j.tensor.Scopes;
import ddpo4j.text.ClipTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Text-to-image sampling with trajectories: prompts to token ids to CLIP states, a DDIM loop with
 * classifier-free guidance (one UNet call on {@code [uncond; cond]}), the exact log-probability of
 * every step, and the VAE decode. Runs without autograd; all temporaries die with their step.
 */
public final class StableDiffusionPipeline implements AutoCloseable {
    private final ClipTokenizer tokenizer;
    private final CLIPTextModel textEncoder;
    private final UNet2DConditionModel unet;
    private final AutoencoderKL vae;
    private final DDIMSchedulerConfig schedulerConfig;
    private final NDManager parameters;
    private final NDArray[] unetParams;
    private final NDArray[] textParams;
    private final NDArray[] vaeParams;

    public StableDiffusionPipeline(ClipTokenizer tokenizer, CLIPTextModel textEncoder, UNet2DConditionModel unet,
            AutoencoderKL vae, DDIMSchedulerConfig schedulerConfig, NDManager parameters) {
        this.tokenizer = tokenizer;
        this.textEncoder = textEncoder;
        this.unet = unet;
        this.vae = vae;
        this.schedulerConfig = schedulerConfig;
        this.parameters = parameters;
        this.unetParams = unet.parameterValues();
        this.textParams = textEncoder.parameterValues();
        this.vaeParams = vae.parameterValues();
    }

    /** Loads a diffusers Stable Diffusion folder; weights go to a new manager owned by the pipeline. */
    public static StableDiffusionPipeline load(Path folder) {
        return PipelineLoader.load(folder);
    }

    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    public CLIPTextModel textEncoder() {
        return textEncoder;
    }

    public UNet2DConditionModel unet() {
        return unet;
    }

    public AutoencoderKL vae() {
        return vae;
    }

    public DDIMSchedulerConfig schedulerConfig() {
        return schedulerConfig;
    }

    /** Default image size: the UNet's sample size times the VAE's factor. */
    public int defaultImageSize() {
        return unet.config().sampleSize() * vae.scaleFactor();
    }

    /** Token ids (B, L) of {@code prompts}, in {@code manager}. */
    public NDArray tokenize(List<String> prompts, NDManager manager) {
        long[][] ids = tokenizer.encodeBatch(prompts);
        int length = ids.length == 0 ? 0 : ids[0].length;
        long[] flat = new long[ids.length * length];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(ids[i], 0, flat, i * length, length);
        }
        return HostArrays.longs(manager, flat, new Shape(ids.length, length));
    }

    /** Text-encoder hidden states (B, L, D) of {@code prompts}, in {@code manager}. */
    public NDArray encodePrompts(List<String> prompts, NDManager manager) {
        NDArray ids = tokenize(prompts, manager);
        try (NDManager step = Scopes.step(manager, textParams, ids)) {
            NDArray states = textEncoder.forward(ids);
            states.attach(manager);
            return states;
        }
    }

    /** This pipeline as a sampler at {@code options}. */
    public TrajectorySampler sampler(SamplingOptions options) {
        return new TrajectorySampler() {
            @Override
            public Trajectory sample(List<String> prompts, NoiseSource noise, NDManager out, IntConsumer onStep) {
                return StableDiffusionPipeline.this.sample(prompts, options, noise, out, onStep);
            }

            @Override
            public int steps() {
                return options.steps();
            }
        };
    }

    /**
     * Samples one batch and returns its trajectory in {@code out}.
     *
     * @param onStep called with the number of finished steps, for progress bars
     */
    public Trajectory sample(List<String> prompts, SamplingOptions options, NoiseSource noise, NDManager out,
            IntConsumer onStep) {
        int b = prompts.size();
        int height = options.height() > 0 ? options.height() : defaultImageSize();
        int width = options.width() > 0 ? options.width() : defaultImageSize();
        int f = vae.scaleFactor();
        if (height % f != 0 || width % f != 0) {
            throw new Ddpo4jException("image size " + height + "x" + width + " must be a multiple of " + f);
        }
        Shape latentShape = new Shape(b, unet.config().inChannels(), height / f, width / f);
        DDIMScheduler scheduler = new DDIMScheduler(schedulerConfig);
        long[] timesteps = scheduler.setTimesteps(options.steps());

        NDArray promptEmbeds = encodePrompts(prompts, out);
        NDArray context = promptEmbeds;
        if (options.guided()) {
            NDArray uncond = encodePrompts(Collections.nCopies(b, ""), out);
            context = uncond.concat(promptEmbeds, 0); // (2B, L, D): uncond rows first
        }
        NDArray latents = noise.initialLatents(out, latentShape);
        List<NDArray> allLatents = new ArrayList<>();
        List<NDArray> logProbs = new ArrayList<>();
        allLatents.add(latents);
        for (int i = 0; i < timesteps.length; i++) {
            long[] rowTimesteps = new long[b];
            Arrays.fill(rowTimesteps, timesteps[i]);
            try (NDManager step = Scopes.step(out, unetParams, latents, context)) {
                NDArray eps = guidedNoisePrediction(latents, timesteps[i], context, options);
                NDArray stepNoise = options.eta() > 0 ? noise.stepNoise(step, i, latentShape) : null;
                DDIMStep result = scheduler.step(eps, rowTimesteps, latents, options.eta(), null, stepNoise);
                latents = result.prevSample();
                latents.attach(out);
                allLatents.add(latents);
                if (result.logProb() != null) {
                    result.logProb().attach(out);
                    logProbs.add(result.logProb());
                }
            }
            if (onStep != null) {
                onStep.accept(i + 1);
            }
        }
        NDArray images = decode(latents, out);
        NDArray stacked = NDArrays.stack(new NDList(allLatents), 1); // (B, T+1, C, h, w)
        NDArray lp = logProbs.isEmpty() ? null : NDArrays.stack(new NDList(logProbs), 1); // (B, T)
        return new Trajectory(List.copyOf(prompts), stacked, lp, timesteps, images, promptEmbeds);
    }

    /**
     * The UNet's prediction with classifier-free guidance: one call on {@code [x; x]} against
     * {@code [uncond; cond]} states, then {@code eps_u + g (eps_c - eps_u)}.
     */
    public NDArray guidedNoisePrediction(NDArray latents, long timestep, NDArray context, SamplingOptions options) {
        long[] rows = new long[(int) latents.getShape().get(0)];
        Arrays.fill(rows, timestep);
        return guidedNoisePrediction(latents, rows, context, options.guided() ? options.guidanceScale() : 1.0);
    }

    /**
     * As above with one timestep per row (training replays rows at different timesteps); a
     * guidance scale of at most 1 means one unguided call on {@code context} = the prompt states.
     */
    public NDArray guidedNoisePrediction(NDArray latents, long[] timesteps, NDArray context, double guidanceScale) {
        NDManager m = latents.getManager();
        if (guidanceScale <= 1.0) {
            return unet.forward(latents, HostArrays.longs(m, timesteps), context);
        }
        long[] doubled = new long[2 * timesteps.length];
        System.arraycopy(timesteps, 0, doubled, 0, timesteps.length);
        System.arraycopy(timesteps, 0, doubled, timesteps.length, timesteps.length);
        NDArray eps = unet.forward(latents.concat(latents, 0), HostArrays.longs(m, doubled), context); // (2B, C, h, w)
        long b = latents.getShape().get(0);
        NDArray uncond = eps.get("0:" + b);
        NDArray cond = eps.get(b + ":");
        return uncond.add(Scalars.mul(cond.sub(uncond), guidanceScale));
    }

    /** VAE decode of final latents to images (B, 3, H, W) in [0, 1], in {@code out}. */
    public NDArray decode(NDArray latents, NDManager out) {
        try (NDManager step = Scopes.step(out, vaeParams, latents)) {
            NDArray z = latents.div(vae.config().scalingFactor());
            NDArray image = vae.decode(z).div(2).add(0.5).clip(0, 1);
            image.attach(out);
            return image;
        }
    }

    @Override
    public void close() {
        parameters.close();
    }
}
