package ddpo4j.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.Ddpo4jException;
import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.Scalars;

/**
 * diffusers' {@code DDIMScheduler} with ddpo-pytorch's {@code ddim_step_with_logprob}: each step
 * with eta > 0 is a Gaussian policy whose log-probability is exact (Black et al. 2023, eq. 3).
 * Scalar coefficients are computed in float32 in the reference's order so trajectories match it.
 */
public final class DDIMScheduler {
    private static final float LOG_SQRT_2PI = (float) StrictMath.log((float) Math.sqrt(2f * (float) Math.PI));

    private final DDIMSchedulerConfig config;
    private final float[] alphasCumprod;
    private final float finalAlphaCumprod;
    private int numInferenceSteps;
    private long[] timesteps = new long[0];

    public DDIMScheduler(DDIMSchedulerConfig config) {
        this.config = config;
        this.alphasCumprod = BetaSchedule.alphasCumprod(config);
        this.finalAlphaCumprod = config.setAlphaToOne() ? 1f : alphasCumprod[0];
    }

    public DDIMSchedulerConfig config() {
        return config;
    }

    /** The cumulative products of (1 - beta_t), float32 as the reference holds them. */
    public float[] alphasCumprod() {
        return alphasCumprod.clone();
    }

    public float finalAlphaCumprod() {
        return finalAlphaCumprod;
    }

    /** Chooses the sampling timesteps, descending, with diffusers' spacing rules. */
    public long[] setTimesteps(int steps) {
        int n = config.numTrainTimesteps();
        if (steps < 1 || steps > n) {
            throw new Ddpo4jException("number of DDIM steps must be in [1, " + n + "], got " + steps);
        }
        long[] t = new long[steps];
        switch (config.timestepSpacing()) {
            case "leading" -> {
                int ratio = n / steps;
                for (int i = 0; i < steps; i++) {
                    t[i] = (long) (steps - 1 - i) * ratio + config.stepsOffset();
                }
            }
            case "trailing" -> {
                double ratio = (double) n / steps;
                for (int i = 0; i < steps; i++) {
                    t[i] = (long) Math.rint(n - i * ratio) - 1;
                }
            }
            default -> { // linspace
                for (int i = 0; i < steps; i++) {
                    double v = steps == 1 ? 0 : (double) (n - 1) * (steps - 1 - i) / (steps - 1);
                    t[i] = (long) Math.rint(v);
                }
            }
        }
        this.numInferenceSteps = steps;
        this.timesteps = t;
        return t.clone();
    }

    public long[] timesteps() {
        return timesteps.clone();
    }

    /** A step's float32 scalars: sqrt(a_t), sqrt(1 - a_t), sqrt(a_prev), the direction coefficient, sigma. */
    private record Coefficients(float sqrtAlpha, float sqrtBeta, float sqrtAlphaPrev, float direction, float std) {}

    private Coefficients coefficients(long timestep, double eta) {
        if (numInferenceSteps == 0) {
            throw new IllegalStateException("call setTimesteps before step");
        }
        int n = config.numTrainTimesteps();
        // 1. previous timestep, clamped before choosing alpha (ddpo-pytorch): the last step uses alphas_cumprod[0]
        int t = (int) timestep;
        int prev = Math.max(0, Math.min(n - 1, t - n / numInferenceSteps));
        float alphaProdT = alphasCumprod[t];
        float alphaProdPrev = prev >= 0 ? alphasCumprod[prev] : finalAlphaCumprod;
        float betaProdT = 1f - alphaProdT;
        float betaProdPrev = 1f - alphaProdPrev;
        // 2. sigma_t = eta * sqrt((1 - a_prev) / (1 - a_t) * (1 - a_t / a_prev)), DDIM eq. 16
        float variance = (betaProdPrev / betaProdT) * (1f - alphaProdT / alphaProdPrev);
        float std = (float) eta * (float) Math.sqrt(variance);
        // max 0: with zero terminal SNR and eta 1 the first step's term is 0 in exact arithmetic, and
        // float rounding of std^2 can make it -1 ulp (NaN in the reference, whose SD schedule never gets there)
        float direction = (float) Math.sqrt(Math.max(0f, 1f - alphaProdPrev - std * std));
        return new Coefficients((float) Math.sqrt(alphaProdT), (float) Math.sqrt(betaProdT),
                (float) Math.sqrt(alphaProdPrev), direction, std);
    }

    /**
     * How strongly step {@code timestep}'s log-prob gradient reaches the model: |d mean / d model
     * output| / sigma. The log-prob's gradient is (x_{t-1} - mean) / sigma^2 times d mean / d
     * output, and x_{t-1} - mean is sigma times standard noise, so each step's policy-gradient term
     * scales with this gain (sample clipping ignored). Zero-terminal-SNR v-prediction schedules give
     * it a range of 200x over 10 steps (docs/shapes-world.md).
     */
    public double outputGain(long timestep, double eta) {
        Coefficients c = coefficients(timestep, eta);
        double dMean = config.predictionType().equals("epsilon")
                ? -(double) c.sqrtAlphaPrev() * c.sqrtBeta() / c.sqrtAlpha() + c.direction()
                : -(double) c.sqrtAlphaPrev() * c.sqrtBeta() + (double) c.direction() * c.sqrtAlpha();
        return Math.abs(dMean) / c.std();
    }

    /**
     * One step from x_t to x_{t-1}.
     *
     * @param modelOutput (B, C, H, W) the (guided) epsilon or v prediction
     * @param timesteps one timestep per row
     * @param sample (B, C, H, W) x_t
     * @param prevSample x_{t-1} to score, or null to draw it as mean + std * noise
     * @param noise (B, C, H, W) standard normal noise, used when prevSample is null
     */
    public DDIMStep step(NDArray modelOutput, long[] timesteps, NDArray sample, double eta, NDArray prevSample,
            NDArray noise) {
        if (numInferenceSteps == 0) {
            throw new IllegalStateException("call setTimesteps before step");
        }
        int b = timesteps.length;
        float[] sqrtAlpha = new float[b];
        float[] sqrtBeta = new float[b];
        float[] sqrtAlphaPrev = new float[b];
        float[] direction = new float[b];
        float[] std = new float[b];
        for (int i = 0; i < b; i++) {
            Coefficients c = coefficients(timesteps[i], eta);
            std[i] = c.std();
            sqrtAlpha[i] = c.sqrtAlpha();
            sqrtBeta[i] = c.sqrtBeta();
            sqrtAlphaPrev[i] = c.sqrtAlphaPrev();
            direction[i] = c.direction();
        }
        NDManager m = sample.getManager();
        Shape rows = new Shape(b, 1, 1, 1);
        NDArray sa = HostArrays.floats(m, sqrtAlpha, rows);
        NDArray sb = HostArrays.floats(m, sqrtBeta, rows);
        // 3. predicted x_0 and epsilon, DDIM eq. 12
        NDArray predX0;
        NDArray predEps;
        if (config.predictionType().equals("epsilon")) {
            predX0 = sample.sub(modelOutput.mul(sb)).div(sa);
            predEps = modelOutput;
        } else { // v_prediction
            predX0 = sample.mul(sa).sub(modelOutput.mul(sb));
            predEps = modelOutput.mul(sa).add(sample.mul(sb));
        }
        if (config.clipSample()) {
            predX0 = Scalars.clip(predX0, -config.clipSampleRange(), config.clipSampleRange()); // differentiable in training
        }
        // 4. mean of x_{t-1}: sqrt(a_prev) x0 + sqrt(1 - a_prev - sigma^2) eps
        NDArray mean = predX0.mul(HostArrays.floats(m, sqrtAlphaPrev, rows)).add(predEps.mul(HostArrays.floats(m, direction, rows)));
        NDArray stdArr = HostArrays.floats(m, std, rows);
        NDArray prev;
        if (prevSample != null) {
            prev = prevSample.stopGradient();
        } else if (eta == 0) {
            prev = mean;
        } else {
            prev = mean.add(noise.mul(stdArr));
        }
        if (eta == 0) {
            return new DDIMStep(prev, null, mean, stdArr);
        }
        // 5. log N(prev; mean, sigma^2), averaged over (C, H, W)
        float[] logStd = new float[b];
        float[] twoVar = new float[b];
        for (int i = 0; i < b; i++) {
            logStd[i] = (float) StrictMath.log(std[i]);
            twoVar[i] = 2f * (std[i] * std[i]);
        }
        NDArray logProb = prev.stopGradient().sub(mean).square().neg().div(HostArrays.floats(m, twoVar, rows))
                .sub(HostArrays.floats(m, logStd, rows))
                .sub(LOG_SQRT_2PI)
                .reshape(b, -1)
                .mean(new int[] {1}); // (B)
        return new DDIMStep(prev, logProb, mean, stdArr);
    }
}
