package ddpo4j.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.tensor.HostArrays;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One epoch's trajectories in host memory (each latent stored once), and the minibatch arrays the
 * training phase replays from them: row i is sample {@code rows[i]} at trajectory step
 * {@code steps[i]}.
 */
final class TrajectoryBuffer {
    /** What every sample of a run looks like: T steps of (C, h, w) latents, (L, D) prompt states. */
    record Shapes(int steps, long channels, long height, long width, long tokens, long embedDim) {
        int latentSize() {
            return (int) (channels * height * width);
        }

        int embedSize() {
            return (int) (tokens * embedDim);
        }
    }

    /** The arrays of one minibatch, in the step's manager. */
    record Minibatch(NDArray latents, NDArray nextLatents, long[] timesteps, NDArray promptEmbeds,
            NDArray negativeEmbeds, NDArray oldLogProbs, NDArray advantages) {}

    private final List<SampleRecord> samples = new ArrayList<>();
    private Shapes shapes;
    private long[] timesteps; // the sampler's T timesteps, in trajectory order
    private float[] negativeEmbeds; // (L * D), the empty prompt's states

    /** Records the run's shapes, timesteps and empty-prompt states (the same for every batch). */
    void describe(Shapes shapes, long[] timesteps, float[] negativeEmbeds) {
        this.shapes = shapes;
        this.timesteps = timesteps.clone();
        this.negativeEmbeds = negativeEmbeds;
    }

    boolean described() {
        return shapes != null;
    }

    void add(SampleRecord sample) {
        samples.add(sample);
    }

    /** Keeps only {@code kept} (the samples whose reward came back), in their order. */
    void retain(List<SampleRecord> kept) {
        List<SampleRecord> copy = List.copyOf(kept);
        samples.clear();
        samples.addAll(copy);
    }

    List<SampleRecord> samples() {
        return Collections.unmodifiableList(samples);
    }

    int size() {
        return samples.size();
    }

    /** Trajectory steps per sample (T). */
    int steps() {
        return shapes.steps();
    }

    /** The sampler's timesteps, in trajectory order. */
    long[] timesteps() {
        return timesteps.clone();
    }

    /** Minibatch {@code rows} at {@code steps}, with their advantages, as arrays in {@code s}. */
    Minibatch minibatch(NDManager s, int[] rows, int[] steps, double[] advantages) {
        return minibatch(s, rows, steps, advantages, null);
    }

    /**
     * As {@link #minibatch(NDManager, int[], int[], double[])}, each row's advantage multiplied by
     * its step's weight ({@link TimestepWeights}; null: none): every loss term of that row scales with it.
     */
    Minibatch minibatch(NDManager s, int[] rows, int[] steps, double[] advantages, double[] stepWeights) {
        int bs = rows.length;
        int perLatent = shapes.latentSize();
        int perEmbed = shapes.embedSize();
        float[] xt = new float[bs * perLatent];
        float[] xprev = new float[bs * perLatent];
        float[] old = new float[bs];
        float[] adv = new float[bs];
        float[] emb = new float[bs * perEmbed];
        float[] neg = new float[bs * perEmbed];
        long[] t = new long[bs];
        for (int row = 0; row < bs; row++) {
            SampleRecord rec = samples.get(rows[row]);
            int step = steps[row];
            System.arraycopy(rec.latents(), step * perLatent, xt, row * perLatent, perLatent);
            System.arraycopy(rec.latents(), (step + 1) * perLatent, xprev, row * perLatent, perLatent);
            System.arraycopy(rec.promptEmbeds(), 0, emb, row * perEmbed, perEmbed);
            System.arraycopy(negativeEmbeds, 0, neg, row * perEmbed, perEmbed);
            old[row] = rec.logProbs()[step];
            adv[row] = (float) (stepWeights == null ? advantages[rows[row]] : advantages[rows[row]] * stepWeights[step]);
            t[row] = timesteps[step];
        }
        Shape latentRows = new Shape(bs, shapes.channels(), shapes.height(), shapes.width());
        Shape embedRows = new Shape(bs, shapes.tokens(), shapes.embedDim());
        return new Minibatch(HostArrays.floats(s, xt, latentRows), HostArrays.floats(s, xprev, latentRows), t,
                HostArrays.floats(s, emb, embedRows), HostArrays.floats(s, neg, embedRows), HostArrays.floats(s, old),
                HostArrays.floats(s, adv));
    }
}
