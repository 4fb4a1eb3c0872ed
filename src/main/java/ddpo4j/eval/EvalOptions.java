package ddpo4j.eval;

import ddpo4j.Ddpo4jException;

/**
 * Settings of one evaluation.
 *
 * @param samplesPerPrompt images per prompt of the set
 * @param seed run seed: sample {@code i} (prompt {@code p}, repeat {@code k}, {@code i = p × samplesPerPrompt + k})
 *     draws its noise from {@code SeededNoise.sampleSeed(seed, i)}, so two models evaluated with the
 *     same seed see the same noise, whatever the batch size
 * @param batchSize images per sampling batch
 */
public record EvalOptions(int samplesPerPrompt, long seed, int batchSize) {
    public EvalOptions {
        if (samplesPerPrompt < 1) {
            throw new Ddpo4jException("samples per prompt must be >= 1, got " + samplesPerPrompt);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
    }
}
