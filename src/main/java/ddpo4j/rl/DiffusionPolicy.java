package ddpo4j.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ddpo4j.nn.LoraLayers;
import ddpo4j.nn.Parameter;
import ddpo4j.pipeline.NoiseSource;
import ddpo4j.pipeline.SamplingOptions;
import ddpo4j.pipeline.StableDiffusionPipeline;
import ddpo4j.pipeline.Trajectory;
import ddpo4j.schedulers.DDIMScheduler;
import ddpo4j.schedulers.DDIMStep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * A Stable Diffusion pipeline as an RL {@link Policy}: each DDIM step with eta > 0 is a Gaussian
 * action; training recomputes a recorded step's log-prob with the same classifier-free guidance
 * as sampling ({@code train.cfg}), so the importance ratio starts at 1.
 */
public final class DiffusionPolicy implements Policy {
    private final StableDiffusionPipeline pipeline;
    private final LoraLayers lora;
    private final SamplingOptions sampling;
    private final boolean trainCfg;
    private final DDIMScheduler scheduler;
    private final Map<String, Parameter> trainable;

    /**
     * @param lora installed adapters to train, or null to train the whole UNet
     * @param trainCfg whether training recomputes log-probs with guidance (train.cfg)
     */
    public DiffusionPolicy(StableDiffusionPipeline pipeline, LoraLayers lora, SamplingOptions sampling,
            boolean trainCfg) {
        this.pipeline = pipeline;
        this.lora = lora;
        this.sampling = sampling;
        this.trainCfg = trainCfg;
        this.scheduler = new DDIMScheduler(pipeline.schedulerConfig());
        scheduler.setTimesteps(sampling.steps());
        this.trainable = lora != null ? lora.namedParameters("unet.") : prefixed(pipeline.unet().namedParameters());
    }

    private static Map<String, Parameter> prefixed(Map<String, Parameter> params) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put("unet." + k, v));
        return out;
    }

    @Override
    public LoraLayers lora() {
        return lora;
    }

    /** Trainable parameters by name, in the network's parameter order (the grad-norm order). */
    @Override
    public Map<String, Parameter> trainableParameters() {
        return Collections.unmodifiableMap(trainable);
    }

    /** Every array a forward pass touches, for scoping a step. */
    @Override
    public NDArray[] forwardParameters() {
        List<NDArray> all = new ArrayList<>(List.of(pipeline.unet().parameterValues()));
        if (lora != null) {
            all.addAll(List.of(lora.values()));
        }
        return all.toArray(NDArray[]::new);
    }

    /** Samples a batch with the current weights (no autograd). */
    @Override
    public Trajectory sample(List<String> prompts, NoiseSource noise, NDManager out,
            IntConsumer onStep) {
        return pipeline.sample(prompts, sampling, noise, out, onStep);
    }

    @Override
    public int steps() {
        return sampling.steps();
    }

    @Override
    public NDArray emptyPromptStates(NDManager m) {
        return pipeline.encodePrompts(List.of(""), m);
    }

    @Override
    public DDIMStep stepLogProb(NDArray latents, NDArray nextLatents, long[] timesteps, NDArray promptEmbeds,
            NDArray negativeEmbeds) {
        NDArray eps = noisePrediction(latents, timesteps, promptEmbeds, negativeEmbeds);
        return scheduler.step(eps, timesteps, latents, sampling.eta(), nextLatents, null);
    }

    @Override
    public double outputGain(long timestep) {
        return scheduler.outputGain(timestep, sampling.eta());
    }

    /** The mean of the step with LoRA disabled: only LoRA training has a base model to compare with. */
    @Override
    public NDArray referenceMean(NDArray latents, NDArray nextLatents, long[] timesteps, NDArray promptEmbeds,
            NDArray negativeEmbeds) {
        if (lora == null) {
            throw new IllegalStateException("a KL penalty to the base model needs LoRA training");
        }
        lora.setEnabled(false);
        try {
            NDArray eps = noisePrediction(latents, timesteps, promptEmbeds, negativeEmbeds).stopGradient();
            return scheduler.step(eps, timesteps, latents, sampling.eta(), nextLatents, null).mean().stopGradient();
        } finally {
            lora.setEnabled(true);
        }
    }

    private NDArray noisePrediction(NDArray latents, long[] timesteps, NDArray promptEmbeds, NDArray negativeEmbeds) {
        if (trainCfg && sampling.guided()) {
            NDArray context = negativeEmbeds.concat(promptEmbeds, 0); // (2B, L, D): uncond rows first
            return pipeline.guidedNoisePrediction(latents, timesteps, context, sampling.guidanceScale());
        }
        return pipeline.guidedNoisePrediction(latents, timesteps, promptEmbeds, 1.0);
    }
}
