package ddpo4j.cli;

import ddpo4j.pretrain.Architecture;
import ddpo4j.pretrain.ModelFolderWriter;
import ddpo4j.pretrain.ShapesSdRecipe;
import ddpo4j.world.WorldConfig;
import java.nio.file.Path;

/** Writes the model card ({@code README.md}) of a pretrained folder: how it was made and how long it took. */
final class ModelCard {
    private ModelCard() {}

    static void write(Path out, ShapesSdRecipe.Settings settings, WorldConfig world, String threads,
            String[] commandLine, double minutes) {
        Architecture a = settings.architecture();
        int latent = world.width() / a.vaeFactor();
        String card = """
                # shapes-sd: a tiny Stable-Diffusion-architecture model of the shapes world

                Trained from scratch by ddpo4j on procedurally generated images of 1-4 coloured shapes with
                captions ("three red circles on a blue background"). Same architecture as Stable Diffusion
                (CLIP text encoder, UNet2DConditionModel, AutoencoderKL with %dx downsampling and 4 latent
                channels), at toy size: %dx%d images, %dx%dx4 latents. Weights are float16 safetensors in the
                diffusers layout; diffusers' `StableDiffusionPipeline.from_pretrained` loads the folder.

                ## How it was made

                    ./ddpo4j pretrain %s

                - seed %d; deterministic given the seed and the thread count (OMP_NUM_THREADS: %s)
                - architecture: %s
                - data: %s
                - phase 1: VAE (MSE + KL), %s
                - phase 2: text encoder + UNet, DDPM loss, %s, schedule %s, starting from %s
                - phase 3: VAE decoder alone on the frozen encoder's latents, %s
                - wall time: %.1f minutes on a 2-core CPU machine

                """.formatted(a.vaeFactor(), world.width(), world.height(), latent, latent,
                String.join(" ", commandLine), settings.seed(), threads, a, world, settings.vae(), settings.denoiser(), settings.scheduler(),
                settings.unetInit() == null ? "random weights" : settings.unetInit(),
                settings.decoder(), minutes);
        ModelFolderWriter.writeText(out.resolve("README.md"), card);
    }
}
