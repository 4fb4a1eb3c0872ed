package ddpo4j.models.judge;

import ai.djl.ndarray.NDArray;

/**
 * What one forward of a {@link JudgeNet} yields, all in the input's manager.
 *
 * @param embedding (B, embeddingDim) the image embedding every head reads (the penultimate layer)
 * @param centerLogits (B, pairs, grid, grid) per (colour, kind) and cell, the logit that a shape's centre is in it
 * @param colorLogits (B, colours) the colour most shapes have
 * @param kindLogits (B, kinds) the kind most shapes are
 * @param backgroundLogits (B, backgrounds) the background colour
 */
public record JudgeOutputs(NDArray embedding, NDArray centerLogits, NDArray colorLogits, NDArray kindLogits,
        NDArray backgroundLogits) {}
