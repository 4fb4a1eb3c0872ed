package ddpo4j.io;

import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.models.clip.CLIPTextConfig;
import ddpo4j.models.clip.CLIPTextModel;
import ddpo4j.models.unet.UNet2DConditionConfig;
import ddpo4j.models.unet.UNet2DConditionModel;
import ddpo4j.models.vae.AutoencoderKL;
import ddpo4j.models.vae.AutoencoderKLConfig;
import ddpo4j.nn.Module;
import ddpo4j.pipeline.StableDiffusionPipeline;
import ddpo4j.schedulers.DDIMSchedulerConfig;
import ddpo4j.text.ClipTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Loads a diffusers Stable Diffusion folder ({@code unet/}, {@code vae/}, {@code text_encoder/},
 * {@code tokenizer/}, {@code scheduler/}) exactly as diffusers lays it out.
 */
public final class ModelFolder {
    private ModelFolder() {}

    public static StableDiffusionPipeline loadPipeline(Path folder) {
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
            loadWeights(text, folder.resolve("text_encoder"), "model", params, UnaryOperator.identity());
            loadWeights(unet, folder.resolve("unet"), "diffusion_pytorch_model", params, UnaryOperator.identity());
            loadWeights(vae, folder.resolve("vae"), "diffusion_pytorch_model", params, AutoencoderKL::canonicalKey);
        } catch (RuntimeException e) {
            params.close();
            throw e;
        }
        params.cap(); // any later allocation in the weights' manager is a leak: fail loudly
        return new StableDiffusionPipeline(tokenizer, text, unet, vae, scheduler, params);
    }

    /** Loads {@code <dir>/<stem>.safetensors} (or the {@code .fp16} variant) strictly into {@code module}. */
    public static void loadWeights(Module module, Path dir, String stem, NDManager manager,
            UnaryOperator<String> rename) {
        Path file = weightsFile(dir, stem);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            StateDictLoader.load(module, reader, manager, rename);
        }
    }

    /** {@code <dir>/<stem>.safetensors} or its {@code .fp16} variant; a clear error for sharded or {@code .bin} weights. */
    public static Path weightsFile(Path dir, String stem) {
        for (String name : new String[] {stem + ".safetensors", stem + ".fp16.safetensors"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        if (Files.isRegularFile(dir.resolve(stem + ".safetensors.index.json"))) {
            throw new Ddpo4jException("sharded weights in " + dir + " are not supported yet: merge them into "
                    + stem + ".safetensors");
        }
        if (Files.isRegularFile(dir.resolve(stem.equals("model") ? "pytorch_model.bin" : stem + ".bin"))) {
            throw new Ddpo4jException("only PyTorch .bin weights in " + dir
                    + ": ddpo4j reads safetensors only (convert with safetensors.torch.save_file)");
        }
        throw new Ddpo4jException("missing weights file " + dir.resolve(stem + ".safetensors"));
    }
}
