package ddpo4j.pipeline;

import ddpo4j.tensor.HostArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.SafetensorsReader;
import java.nio.file.Path;

/**
 * Noise recorded elsewhere (e.g. by the PyTorch reference) and replayed, so that two
 * implementations can be compared step by step: {@code init_latents} (B, C, h, w) and
 * {@code step_noise} (T, B, C, h, w).
 */
public final class ReplayNoise implements NoiseSource {
    private final float[] init;
    private final Shape initShape;
    private final float[] steps;
    private final Shape stepsShape;

    public ReplayNoise(float[] init, Shape initShape, float[] steps, Shape stepsShape) {
        this.init = init;
        this.initShape = initShape;
        this.steps = steps;
        this.stepsShape = stepsShape;
    }

    /** Reads {@code init_latents} and {@code step_noise} from a safetensors file. */
    public static ReplayNoise read(Path file) {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            for (String key : new String[] {"init_latents", "step_noise"}) {
                if (!r.contains(key)) {
                    throw new Ddpo4jException("replay-noise file " + file + " has no tensor \"" + key + "\"");
                }
            }
            Shape initShape = new Shape(r.info("init_latents").shape());
            Shape stepsShape = new Shape(r.info("step_noise").shape());
            if (initShape.dimension() != 4 || stepsShape.dimension() != 5
                    || !stepsShape.slice(1).equals(initShape)) {
                throw new Ddpo4jException("replay-noise file " + file + ": init_latents " + initShape
                        + " must be (B, C, h, w) and step_noise " + stepsShape + " (T, B, C, h, w)");
            }
            return new ReplayNoise(r.floats("init_latents"), initShape, r.floats("step_noise"), stepsShape);
        }
    }

    public int batchSize() {
        return (int) initShape.get(0);
    }

    public int steps() {
        return (int) stepsShape.get(0);
    }

    @Override
    public NDArray initialLatents(NDManager manager, Shape shape) {
        check(shape);
        return HostArrays.floats(manager, init, initShape);
    }

    @Override
    public NDArray stepNoise(NDManager manager, int step, Shape shape) {
        check(shape);
        if (step >= steps()) {
            throw new Ddpo4jException("replay noise has " + steps() + " steps, sampling asked for step " + (step + 1));
        }
        int per = (int) initShape.size();
        float[] slice = new float[per];
        System.arraycopy(steps, step * per, slice, 0, per);
        return HostArrays.floats(manager, slice, initShape);
    }

    private void check(Shape shape) {
        if (!shape.equals(initShape)) {
            throw new Ddpo4jException("replay noise has latents of shape " + initShape + " but sampling needs "
                    + shape + " (check prompts count and --height/--width)");
        }
    }
}
