package ddpo4j.pipeline;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A batch of denoising trajectories as DDPO trains on them.
 *
 * @param latents (B, T+1, C, h, w): x_T first, the final latents last
 * @param logProbs (B, T) log-probability of each step's sample (null with eta 0)
 * @param timesteps the T timesteps, descending
 * @param images (B, 3, H, W) decoded images in [0, 1]
 * @param promptEmbeds (B, L, D) text-encoder states of the prompts
 */
public record Trajectory(List<String> prompts, NDArray latents, NDArray logProbs, long[] timesteps, NDArray images,
        NDArray promptEmbeds) {}
