package ddpo4j.rl;

import ddpo4j.Ddpo4jException;

/**
 * {@code train.timestep_weighting: equalize}: a weight per denoising step that makes every trained
 * step's policy-gradient term reach the model with the same strength. A step's log-prob gradient
 * scales with its output gain ({@link Policy#outputGain}); on a zero-terminal-SNR v-prediction
 * schedule at 10 steps the gains run from 0.06 at the first step (where the layout, and so the
 * count, is decided) to 11.4 at the last, so without weighting the last steps' noise swamps the
 * first steps' signal. Weight = 1 / gain, normalized to mean 1 over the eligible steps; steps
 * after them ({@code train.skip_last_steps}) are never trained and get 0.
 */
final class TimestepWeights {
    private TimestepWeights() {}

    /** Weights by step index for {@code timesteps} (trajectory order), the first {@code eligible} trainable. */
    static double[] equalize(Policy policy, long[] timesteps, int eligible) {
        double[] w = new double[timesteps.length];
        double sum = 0;
        for (int j = 0; j < eligible; j++) {
            double gain = policy.outputGain(timesteps[j]);
            if (!(gain > 0) || !Double.isFinite(gain)) {
                throw new Ddpo4jException("train.timestep_weighting equalize: step " + j + " (timestep " + timesteps[j]
                        + ") has output gain " + gain + ", so it cannot be weighted; use none");
            }
            w[j] = 1 / gain;
            sum += w[j];
        }
        double mean = sum / eligible;
        for (int j = 0; j < eligible; j++) {
            w[j] /= mean;
        }
        return w;
    }
}
