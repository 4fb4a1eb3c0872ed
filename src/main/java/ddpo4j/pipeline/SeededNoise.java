package ddpo4j.pipeline;

import ddpo4j.tensor.HostArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.tensor.TorchGenerator;

/**
 * Per-sample reproducible noise: sample number {@code k} of a run draws from its own torch-compatible
 * generator seeded with {@link #sampleSeed(long, long)}, first its initial latents then one
 * (C, h, w) block per step, so a sample does not change with batch size or batch composition.
 * In PyTorch: {@code g = torch.Generator().manual_seed(sampleSeed(seed, k)); torch.randn((C, h, w), generator=g)}
 * for x_T, then once per step.
 */
public final class SeededNoise implements NoiseSource {
    private final TorchGenerator[] generators;
    private final long seed;
    private final long[] sampleIndices;
    private final long[] initialIndices;

    /** @param sampleIndices the run-wide index of each row of the batch */
    public SeededNoise(long seed, long[] sampleIndices) {
        this(seed, sampleIndices, sampleIndices);
    }

    /**
     * Row {@code i} starts from sample {@code initialIndices[i]}'s initial latents (a group sharing its
     * start) and draws its step noise as sample {@code sampleIndices[i]} does, so sharing changes x_T only.
     */
    public SeededNoise(long seed, long[] sampleIndices, long[] initialIndices) {
        if (initialIndices.length != sampleIndices.length) {
            throw new IllegalArgumentException(sampleIndices.length + " samples but " + initialIndices.length
                    + " initial indices");
        }
        this.seed = seed;
        this.sampleIndices = sampleIndices.clone();
        this.initialIndices = initialIndices.clone();
        generators = new TorchGenerator[sampleIndices.length];
        for (int i = 0; i < sampleIndices.length; i++) {
            generators[i] = new TorchGenerator(sampleSeed(seed, sampleIndices[i]));
        }
    }

    /** The seed of sample {@code index}: a SplitMix64 mix of run seed and index, low 32 bits (all torch uses). */
    public static long sampleSeed(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & 0xffffffffL;
    }

    @Override
    public NDArray initialLatents(NDManager manager, Shape shape) {
        float[] all = rows(shape); // drawn even where replaced: the step noise that follows stays the row's own
        int per = all.length / generators.length;
        for (int i = 0; i < generators.length; i++) {
            if (initialIndices[i] != sampleIndices[i]) {
                float[] shared = new TorchGenerator(sampleSeed(seed, initialIndices[i])).randn(per);
                System.arraycopy(shared, 0, all, i * per, per);
            }
        }
        return HostArrays.floats(manager, all, shape);
    }

    @Override
    public NDArray stepNoise(NDManager manager, int step, Shape shape) {
        return HostArrays.floats(manager, rows(shape), shape);
    }

    /** One draw of each row's generator, packed row after row. */
    private float[] rows(Shape shape) {
        if (shape.get(0) != generators.length) {
            throw new IllegalArgumentException("batch of " + shape.get(0) + " rows but " + generators.length
                    + " generators");
        }
        int per = (int) (shape.size() / generators.length);
        float[] all = new float[per * generators.length];
        for (int i = 0; i < generators.length; i++) {
            System.arraycopy(generators[i].randn(per), 0, all, i * per, per);
        }
        return all;
    }
}
