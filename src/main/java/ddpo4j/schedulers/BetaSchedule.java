package ddpo4j.schedulers;

/** The diffusion noise schedule: betas per training timestep and their cumulative alpha products, in float32. */
final class BetaSchedule {
    private BetaSchedule() {}

    static float[] alphasCumprod(DDIMSchedulerConfig c) {
        int n = c.numTrainTimesteps();
        float[] betas = switch (c.betaSchedule()) {
            case "linear" -> linspace((float) c.betaStart(), (float) c.betaEnd(), n);
            case "scaled_linear" -> {
                // torch.linspace(beta_start**0.5, beta_end**0.5, n, dtype=float32) ** 2
                float[] r = linspace((float) Math.sqrt(c.betaStart()), (float) Math.sqrt(c.betaEnd()), n);
                for (int i = 0; i < n; i++) {
                    r[i] = r[i] * r[i];
                }
                yield r;
            }
            default -> squaredCos(n);
        };
        if (c.rescaleBetasZeroSnr()) {
            betas = rescaleZeroTerminalSnr(betas);
        }
        // torch.cumprod on CPU accumulates float32 inputs in double and rounds each output
        float[] out = new float[n];
        double acc = 1.0;
        for (int i = 0; i < n; i++) {
            acc *= 1f - betas[i];
            out[i] = (float) acc;
        }
        return out;
    }

    /**
     * diffusers' {@code rescale_zero_terminal_snr} (Lin et al. 2024, "Common Diffusion Noise Schedules
     * and Sample Steps are Flawed", Algorithm 1), float32 as torch computes it: sqrt(abar) shifted so
     * the last timestep keeps no signal and scaled so the first is unchanged. Sampling then starts
     * from the pure noise the model was trained on, instead of leaking the image's mean colour.
     */
    static float[] rescaleZeroTerminalSnr(float[] betas) {
        int n = betas.length;
        float[] sqrtBar = new float[n];
        double acc = 1.0;
        for (int i = 0; i < n; i++) {
            acc *= 1f - betas[i];
            sqrtBar[i] = (float) Math.sqrt((float) acc);
        }
        float first = sqrtBar[0];
        float last = sqrtBar[n - 1];
        float scale = first / (first - last);
        float[] bar = new float[n];
        for (int i = 0; i < n; i++) {
            float v = (sqrtBar[i] - last) * scale;
            bar[i] = v * v;
        }
        float[] out = new float[n];
        out[0] = 1f - bar[0];
        for (int i = 1; i < n; i++) {
            out[i] = 1f - bar[i] / bar[i - 1];
        }
        return out;
    }

    /** torch.linspace in float32: start + i*step for the first half, end - (n-1-i)*step for the rest. */
    static float[] linspace(float start, float end, int n) {
        float[] r = new float[n];
        if (n == 1) {
            r[0] = start;
            return r;
        }
        float step = (end - start) / (n - 1);
        int half = n / 2;
        for (int i = 0; i < n; i++) {
            r[i] = i < half ? start + step * i : end - step * (n - 1 - i);
        }
        return r;
    }

    /** betas_for_alpha_bar with the cosine schedule (Nichol & Dhariwal), max beta 0.999. */
    private static float[] squaredCos(int n) {
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            double t1 = (double) i / n;
            double t2 = (double) (i + 1) / n;
            r[i] = (float) Math.min(1 - alphaBar(t2) / alphaBar(t1), 0.999);
        }
        return r;
    }

    private static double alphaBar(double t) {
        double c = StrictMath.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }
}
