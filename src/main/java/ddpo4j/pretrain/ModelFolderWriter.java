package ddpo4j.pretrain;

import ai.djl.ndarray.NDArray;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.AtomicFile;
import ddpo4j.io.JsonFile;
import ddpo4j.io.SafetensorsWriter;
import ddpo4j.nn.Module;
import ddpo4j.schedulers.DDIMSchedulerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a diffusers Stable Diffusion folder (model_index.json, per-component config.json, float16
 * safetensors, tokenizer, DDIM scheduler config) that both ddpo4j and diffusers load.
 */
public final class ModelFolderWriter {
    private ModelFolderWriter() {}

    public static void writeText(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            AtomicFile.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Ddpo4jException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Weights of {@code module} as float16 safetensors with provenance metadata. */
    public static void writeWeights(Path file, Module module, Map<String, String> metadata) {
        SafetensorsWriter.Builder b = SafetensorsWriter.builder();
        module.namedParameters().forEach((k, p) -> {
            NDArray v = p.value();
            b.putF16(k, v.toFloatArray(), v.getShape().getShape());
        });
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new Ddpo4jException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.putAll(metadata);
        b.write(file, meta);
    }

    /** model_index.json of a StableDiffusionPipeline without safety checker. */
    public static void writeModelIndex(Path dir) {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("_class_name", "StableDiffusionPipeline");
        index.put("_diffusers_version", "0.17.1");
        index.put("feature_extractor", List.of());
        index.put("requires_safety_checker", false);
        index.put("safety_checker", List.of());
        index.put("scheduler", List.of("diffusers", "DDIMScheduler"));
        index.put("text_encoder", List.of("transformers", "CLIPTextModel"));
        index.put("tokenizer", List.of("transformers", "CLIPTokenizer"));
        index.put("unet", List.of("diffusers", "UNet2DConditionModel"));
        index.put("vae", List.of("diffusers", "AutoencoderKL"));
        JsonFile.write(dir.resolve("model_index.json"), index);
    }

    /** Stable Diffusion's DDIM schedule: scaled_linear 0.00085..0.012, leading spacing, offset 1. */
    /** The scheduler file of {@code c}; the zero-SNR key only when set, so older recipes' files are unchanged. */
    public static void writeScheduler(Path dir, DDIMSchedulerConfig c) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("_class_name", "DDIMScheduler");
        s.put("_diffusers_version", "0.17.1");
        s.put("beta_end", c.betaEnd());
        s.put("beta_schedule", c.betaSchedule());
        s.put("beta_start", c.betaStart());
        s.put("clip_sample", c.clipSample());
        s.put("num_train_timesteps", c.numTrainTimesteps());
        s.put("prediction_type", c.predictionType());
        if (c.rescaleBetasZeroSnr()) {
            s.put("rescale_betas_zero_snr", true);
        }
        s.put("set_alpha_to_one", c.setAlphaToOne());
        s.put("steps_offset", c.stepsOffset());
        s.put("timestep_spacing", c.timestepSpacing());
        s.put("trained_betas", null);
        JsonFile.write(dir.resolve("scheduler/scheduler_config.json"), s);
    }
}
