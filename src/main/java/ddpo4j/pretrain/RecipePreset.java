package ddpo4j.pretrain;

import ddpo4j.Ddpo4jException;
import ddpo4j.schedulers.DDIMSchedulerConfig;
import java.util.List;

/**
 * A named pretraining recipe: architecture, data and schedule defaults that {@code pretrain --recipe
 * NAME} starts from (each can still be overridden on the command line).
 *
 * @param supersample the world's anti-aliasing (1: hard edges, s: s x s samples per pixel)
 * @param vaeCrop 0: the VAE trains on whole images; else on random crops of this side (both VAE phases)
 * @param unetCoolDownSteps the UNet's learning rate decays to 0 over this many last steps ({@link CoolDown})
 * @param emaDecay 0: ship the last UNet/text weights; else their EMA with this decay
 * @param zeroTerminalSnr false: Stable Diffusion's schedule and epsilon prediction; true: the same betas
 *     rescaled to zero terminal SNR, v-prediction, trailing timesteps ({@link #scheduler(boolean)})
 */
public record RecipePreset(String name, Architecture architecture, int supersample, int vaeCrop, int vaeSteps,
        int vaeBatchSize,
        double vaeLr, double klWeight, int datasetSize, int unetSteps, int unetBatchSize, double unetLr,
        int unetCoolDownSteps, double captionDropout, int decoderSteps, double emaDecay, boolean zeroTerminalSnr) {

    /** The bundled v1 model (models/shapes-sd as first made): kept so it can be rebuilt bit for bit. */
    public static final RecipePreset V1 = new RecipePreset("v1", Architecture.V1, 1, 0, 1000, 16, 1e-3, 1e-4, 10_000,
            4000, 64, 1e-3, 0, 0.1, 1000, 0, false);

    /**
     * Base model v2: a 4x VAE (16x16x4 latents: v1's 8x VAE alone loses the kind of 3 shapes in 4,
     * measured by {@link VaeFidelity}), a three-level UNet 32/64/128 with cross-attention only at
     * 8x8 and 4x4 (about v1's forward cost at 4x the latent area), the VAE trained on 32 px crops
     * (a quarter of the cost per step), an EMA.
     * docs/shapes-world.md ("Base model v2") has the measurements behind each choice.
     */
    public static final RecipePreset V2 = new RecipePreset("v2",
            new Architecture(List.of(32, 64, 64), List.of(32, 64, 128), List.of(false, true, true), 1, 64, 2),
            1, 32, 1500, 16, 1e-3, 1e-4, 20_000, 10_000, 32, 1e-3, 0, 0.1, 500, 0.999, false);

    /**
     * v2 with a learning-rate cool-down: 12,000 UNet steps, the last 4,000 decaying to 0. Its first
     * 8,000 steps are v2's, so it continues v2's step-8000 checkpoint (v2's quality had plateaued
     * from step ~4000 at the constant rate).
     */
    public static final RecipePreset V3 = new RecipePreset("v3", V2.architecture(), 1, 32, 1500, 16, 1e-3, 1e-4,
            20_000, 12_000, 32, 1e-3, 4000, 0.1, 500, 0.999, false);

    /**
     * v3's UNet trained on a zero-terminal-SNR schedule with v-prediction (Lin et al. 2024): SD's
     * schedule keeps sqrt(abar) = 0.068 of the latents at t = 999, enough for a 16x16 model to read
     * each image's mean from the training input, which pure sampling noise then sets at random;
     * v2's samples had textured, off-colour backgrounds. Same VAE as v2 (its phases are v2's); 6,000
     * UNet steps, the last 2,000 cooling down (v2's quality had stopped rising by step 4,000).
     */
    public static final RecipePreset V4 = new RecipePreset("v4", V2.architecture(), 1, 32, 1500, 16, 1e-3, 1e-4,
            20_000, 6000, 32, 1e-3, 2000, 0.1, 500, 0.999, true);

    /**
     * v4 with cross-attention at the 16x16 level too (as SD attends at its highest resolutions): at
     * 8x8 a 10-16 px shape is one or two latent pixels, too few to tell a triangle from a square, and
     * v4's samples at step 5000 were blobs of the right colour whose kind was wrong (0.10). 10,000
     * UNet steps, the last 3,000 cooling down; v2's VAE.
     */
    public static final RecipePreset V5 = new RecipePreset("v5",
            new Architecture(List.of(32, 64, 64), List.of(32, 64, 128), List.of(true, true, true), 1, 64, 2),
            1, 32, 1500, 16, 1e-3, 1e-4, 20_000, 10_000, 32, 1e-3, 3000, 0.1, 500, 0.999, true);

    /**
     * v3's UNet and text encoder moved to v4's zero-terminal-SNR schedule and v-target by a fine-tune
     * (run with {@code --unet-init} the v3 folder), as Lin et al. (2024) moved SD 2.1: v3 draws the
     * kinds (its failures are textured backgrounds), v4 from scratch drew clean backgrounds but
     * every shape as a rounded square. 3,000 steps, the last 1,500 cooling down.
     */
    public static final RecipePreset V6 = new RecipePreset("v6", V2.architecture(), 1, 32, 1500, 16, 1e-3, 1e-4,
            20_000, 3000, 32, 1e-3, 1500, 0.1, 500, 0.999, true);

    /**
     * v6 trained on (run with {@code --unet-init} the v6 folder): v6's colour and kind accuracy were
     * still rising when its cool-down ended (0.78 / 0.78 at step 1500, 0.85 / 0.77 at 3000). 3,000
     * more steps at half v6's rate, cosine-decaying from the first step.
     */
    public static final RecipePreset V7 = new RecipePreset("v7", V2.architecture(), 1, 32, 1500, 16, 1e-3, 1e-4,
            20_000, 3000, 32, 5e-4, 3000, 0.1, 500, 0.999, true);

    /** The noise schedule a model of this recipe is trained and sampled with. */
    public static DDIMSchedulerConfig scheduler(boolean zeroTerminalSnr) {
        DDIMSchedulerConfig sd = DDIMSchedulerConfig.stableDiffusion();
        return zeroTerminalSnr ? sd.withZeroTerminalSnr() : sd;
    }

    public static List<RecipePreset> all() {
        return List.of(V1, V2, V3, V4, V5, V6, V7);
    }

    public static RecipePreset named(String name) {
        return all().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new Ddpo4jException(
                "unknown recipe \"" + name + "\"; known: " + all().stream().map(RecipePreset::name).toList()));
    }
}
