package ddpo4j.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ddpo4j.nn.LoraLayers;
import ddpo4j.nn.Parameter;
import ddpo4j.pipeline.TrajectorySampler;
import ddpo4j.schedulers.DDIMStep;
import java.util.Map;

/**
 * What DDPO needs of a model (Black et al. 2023, section 4.2): denoising as a multi-step decision
 * process whose every step is a Gaussian action. It samples trajectories with their log-probs,
 * and recomputes the log-prob of recorded steps under the current weights, differentiably. The
 * trainer sees only this; {@link DiffusionPolicy} is the Stable Diffusion one.
 *
 * <p>Rows are conditioned on prompt states (B, L, D); guidance, where the policy uses it, mixes
 * them with the empty prompt's states, which the trainer stores once per run.
 */
public interface Policy extends TrajectorySampler {
    /** The empty prompt's states (1, L, D), in {@code m}: the unconditional half of guidance. */
    NDArray emptyPromptStates(NDManager m);

    /**
     * The step distribution at per-row {@code timesteps} from {@code latents}, and the log-prob of
     * {@code nextLatents} under it; differentiable inside a gradient collector.
     *
     * @param promptStates (B, L, D); {@code emptyStates} (B, L, D) the empty prompt's, row by row
     */
    DDIMStep stepLogProb(NDArray latents, NDArray nextLatents, long[] timesteps, NDArray promptStates,
            NDArray emptyStates);

    /**
     * How strongly the log-prob gradient of the step at {@code timestep} reaches the model
     * ({@code |d mean / d output| / sigma}); {@code train.timestep_weighting: equalize} divides each
     * step's loss term by it. 1 where a policy has no such notion.
     */
    default double outputGain(long timestep) {
        return 1.0;
    }

    /** Whether {@link #referenceMean} is available (a LoRA policy has its base model underneath). */
    default boolean hasReference() {
        return lora() != null;
    }

    /** The step's mean under the base model (before any training), without gradient: the KL reference. */
    NDArray referenceMean(NDArray latents, NDArray nextLatents, long[] timesteps, NDArray promptStates,
            NDArray emptyStates);

    /** The weights training updates, by name, in a fixed order (the gradient-norm and checkpoint order). */
    Map<String, Parameter> trainableParameters();

    /** Every array a forward pass touches, so a training step's scope keeps them alive. */
    NDArray[] forwardParameters();

    /** The LoRA adapters being trained (written as the run's {@code lora/}), or null if none. */
    default LoraLayers lora() {
        return null;
    }
}
