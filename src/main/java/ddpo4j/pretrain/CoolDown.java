package ddpo4j.pretrain;

import ddpo4j.Ddpo4jException;

/**
 * A constant learning rate, then a cosine decay to 0 over the last {@code coolDownSteps} steps (the
 * "warmup-stable-decay" shape without the warm-up). Steps before the cool-down use exactly the
 * constant rate, so a longer run with a cool-down continues a constant-rate run's checkpoint bit for
 * bit up to where its decay starts.
 */
public record CoolDown(double learningRate, int steps, int coolDownSteps) {
    public CoolDown {
        if (coolDownSteps < 0 || coolDownSteps > steps) {
            throw new Ddpo4jException("cool-down steps must be in [0, " + steps + "], got " + coolDownSteps);
        }
    }

    /** The rate of update {@code step} (0-based): update {@code steps - 1} is the last, at a small positive rate. */
    public double at(int step) {
        int start = steps - coolDownSteps;
        if (step < start) {
            return learningRate;
        }
        // fdlibm cosine: the same value in every JVM and mode (see AdamW on Math.pow)
        double progress = (step - start + 1) / (double) (coolDownSteps + 1);
        return learningRate * 0.5 * (1 + StrictMath.cos(Math.PI * progress));
    }
}
