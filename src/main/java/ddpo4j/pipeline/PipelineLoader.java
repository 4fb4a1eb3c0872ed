package ddpo4j.pipeline;

import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.ComponentWeights;
import ddpo4j.models.clip.CLIPTextConfig;
import ddpo4j.models.clip.CLIPTextModel;
import ddpo4j.models.unet.UNet2DConditionConfig;
import ddpo4j.models.unet.UNet2DConditionModel;
import ddpo4j.models.vae.AutoencoderKL;
import ddpo4j.models.vae.AutoencoderKLConfig;
import ddpo4j.schedulers.DDIMSchedulerConfig;
import ddpo4j.text.ClipTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Loads a diffusers Stable Diffusion folder ({@code unet/}, {@code vae/}, {@code text_encoder/},
 * {@code tokenizer/}, {@code scheduler/}) exactly as diffusers lays it out. It lives here, not in
 * {@code io}, because it builds the models and the pipeline: {@code io} only reads formats.
 */
final class PipelineLoader {
    private PipelineLoader() {}

    static StableDiffusionPipeline load(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new Ddpo4jException("model folder " + folder + " does not exist");
        }
        ClipTokenizer tokenizer = ClipTokenizer.load(folder.resolve("tokenizer"));
        CLIPTextModel text = new CLIPTextModel(CLIPTextConfig.read(folder.resolve("text_encoder/config.json")));
        UNet2DConditionModel unet = new UNet2DConditionModel(
                UNet2DConditionConfig.read(folder.resolve("unet/config.json")));
        AutoencoderKL vae = new AutoencoderKL(AutoencoderKLConfig.read(folder.resolve("vae/config.json")));
        DDIMSchedulerConfig scheduler = DDIMSchedulerConfig.read(folder.resolve("scheduler/scheduler_config.json"));
        NDManager params = NDManager.newBaseManager();
        try {
            ComponentWeights.load(text, folder.resolve("text_encoder"), "model", params, UnaryOperator.identity());
            ComponentWeights.load(unet, folder.resolve("unet"), "diffusion_pytorch_model", params,
                    UnaryOperator.identity());
            ComponentWeights.load(vae, folder.resolve("vae"), "diffusion_pytorch_model", params,
                    AutoencoderKL::canonicalKey);
        } catch (RuntimeException e) {
            params.close();
            throw e;
        }
        params.cap(); // any later allocation in the weights' manager is a leak: fail loudly
        return new StableDiffusionPipeline(tokenizer, text, unet, vae, scheduler, params);
    }
}
