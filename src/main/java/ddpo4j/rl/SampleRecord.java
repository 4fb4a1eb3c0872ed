package ddpo4j.rl;

import java.util.Map;

/**
 * One sampled trajectory kept in host memory for training: the T+1 latents stored once (x_t and
 * x_{t-1} are consecutive entries), the sampling log-probs and the prompt's text states.
 *
 * @param latents (T+1) * C * h * w floats, x_T first
 * @param logProbs T floats
 * @param promptEmbeds L * D floats
 */
public record SampleRecord(long index, String prompt, Map<String, Object> metadata, float[] latents,
        float[] logProbs, float[] promptEmbeds) {}
