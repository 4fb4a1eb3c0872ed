package ddpo4j.pipeline;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Draws batches of denoising trajectories at fixed sampling settings: a pipeline
 * ({@link StableDiffusionPipeline#sampler}) or a policy being trained. Evaluation and training
 * sample through this, so they cannot disagree on how.
 */
public interface TrajectorySampler {
    /**
     * Samples one batch without autograd; the trajectory's arrays live in {@code out}.
     *
     * @param onStep called with the number of finished denoising steps, for progress bars
     */
    Trajectory sample(List<String> prompts, NoiseSource noise, NDManager out, IntConsumer onStep);

    /** Denoising steps per trajectory. */
    int steps();
}
