package ddpo4j.schedulers;

import ddpo4j.io.ConfigJson;
import ddpo4j.io.ConfigJson.IntRange;
import java.nio.file.Path;

/**
 * Noise-schedule settings from a diffusers {@code scheduler/scheduler_config.json}. Like
 * ddpo-pytorch's {@code DDIMScheduler.from_config(pipeline.scheduler.config)}, any scheduler class
 * (PNDM in SD 1.5 folders, DDIM, Euler…) supplies the betas; sampling is always DDIM.
 */
public record DDIMSchedulerConfig(
        int numTrainTimesteps,
        double betaStart,
        double betaEnd,
        String betaSchedule,
        boolean clipSample,
        double clipSampleRange,
        boolean setAlphaToOne,
        int stepsOffset,
        String predictionType,
        String timestepSpacing,
        boolean rescaleBetasZeroSnr) {

    /** Stable Diffusion's schedule: scaled_linear 0.00085..0.012 over 1000 steps, epsilon prediction. */
    public static DDIMSchedulerConfig stableDiffusion() {
        return new DDIMSchedulerConfig(1000, 0.00085, 0.012, "scaled_linear", false, 1.0, false, 1, "epsilon",
                "leading", false);
    }

    /**
     * These betas rescaled to zero terminal SNR, with v-prediction and trailing timesteps (Lin et al.
     * 2024): the three settings that only work together.
     */
    public DDIMSchedulerConfig withZeroTerminalSnr() {
        return new DDIMSchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule, clipSample, clipSampleRange,
                setAlphaToOne, stepsOffset, "v_prediction", "trailing", true);
    }

    static final IntRange TRAIN_TIMESTEPS = new IntRange(1, 1_000_000);

    public static DDIMSchedulerConfig read(Path file) {
        ConfigJson c = ConfigJson.read(file);
        // The schedule is three float arrays of this length: 1000 in every published scheduler.
        int timesteps = c.intValue("num_train_timesteps", 1000, TRAIN_TIMESTEPS);
        DDIMSchedulerConfig cfg = new DDIMSchedulerConfig(
                timesteps,
                beta(c, "beta_start", 0.0001),
                beta(c, "beta_end", 0.02),
                c.choice("beta_schedule", "linear", "linear", "scaled_linear", "squaredcos_cap_v2"),
                c.boolValue("clip_sample", true),
                c.doubleValue("clip_sample_range", 1.0),
                c.boolValue("set_alpha_to_one", true),
                // Sampling timesteps are shifted by it and must stay training timesteps.
                c.intValue("steps_offset", 0, new IntRange(0, timesteps - 1)),
                c.choice("prediction_type", "epsilon", "epsilon", "v_prediction"),
                c.choice("timestep_spacing", "leading", "leading", "trailing", "linspace"),
                c.boolValue("rescale_betas_zero_snr", false));
        if (cfg.rescaleBetasZeroSnr() && !cfg.predictionType().equals("v_prediction")) {
            // x_0 = (x_T - sqrt(1 - abar_T) eps) / sqrt(abar_T) divides by zero at the first step
            throw c.error("\"rescale_betas_zero_snr\": true needs \"prediction_type\": \"v_prediction\" (an epsilon"
                    + " model cannot predict x_0 from pure noise)");
        }
        c.requireDefault("trained_betas", null);
        c.requireDefault("thresholding", false);
        // Settings of other scheduler classes sharing this file, or of thresholding (off).
        c.ignore("skip_prk_steps", "dynamic_thresholding_ratio", "sample_max_value", "variance_type",
                "use_karras_sigmas", "interpolation_type", "timestep_type", "final_sigmas_type", "sigma_min",
                "sigma_max", "use_exponential_sigmas", "use_beta_sigmas", "solver_order", "algorithm_type",
                "solver_type", "lower_order_final", "euler_at_final", "lambda_min_clipped",
                "variance_type", "use_lu_lambdas");
        c.checkNoUnknownKeys();
        return cfg;
    }

    /** A noise variance: in [0, 1), or 1 - beta (the signal kept) is no longer positive. */
    private static double beta(ConfigJson c, String key, double defaultValue) {
        double b = c.doubleValue(key, defaultValue);
        if (b < 0 || b >= 1) {
            throw c.error("key \"" + key + "\" must be in [0, 1), got " + b);
        }
        return b;
    }
}
