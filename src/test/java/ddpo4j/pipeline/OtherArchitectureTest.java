package ddpo4j.pipeline;

import static ddpo4j.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ddpo4j.cli.Main;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.io.SafetensorsWriter;
import ddpo4j.models.clip.CLIPTextConfig;
import ddpo4j.models.clip.CLIPTextModel;
import ddpo4j.models.unet.UNet2DConditionConfig;
import ddpo4j.models.unet.UNet2DConditionModel;
import ddpo4j.models.vae.AutoencoderKL;
import ddpo4j.models.vae.AutoencoderKLConfig;
import ddpo4j.nn.Module;
import ddpo4j.rl.DiffusionPolicy;
import ddpo4j.schedulers.DDIMStep;
import ddpo4j.tensor.Scopes;
import ddpo4j.testing.Fixtures;
import ddpo4j.testing.RandomWeights;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not tuned to one configuration: a pipeline with three UNet levels, per-block head counts, linear
 * projections (SD 2.x style), a latent size not divisible by the UNet's factor, a 4x VAE, a gelu text
 * encoder and a v-prediction scheduler with trailing spacing samples through the CLI, and the
 * trainer's log-prob recomputation reproduces the sampled log-probs on it.
 */
class OtherArchitectureTest {
    @TempDir
    Path tmp;

    private static final String UNET = """
            {"_class_name": "UNet2DConditionModel", "in_channels": 4, "out_channels": 4,
             "block_out_channels": [16, 32, 32], "layers_per_block": 1, "norm_num_groups": 8,
             "down_block_types": ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
             "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
             "attention_head_dim": [2, 4, 4], "use_linear_projection": true, "upcast_attention": true,
             "cross_attention_dim": 16, "sample_size": 10, "flip_sin_to_cos": false, "freq_shift": 1}
            """;
    private static final String VAE = """
            {"_class_name": "AutoencoderKL", "block_out_channels": [8, 16, 16], "layers_per_block": 1,
             "down_block_types": ["DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D"],
             "up_block_types": ["UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D"],
             "latent_channels": 4, "norm_num_groups": 4, "scaling_factor": 0.13025}
            """;
    private static final String TEXT = """
            {"model_type": "clip_text_model", "vocab_size": 707, "hidden_size": 16, "intermediate_size": 20,
             "num_hidden_layers": 2, "num_attention_heads": 2, "max_position_embeddings": 77, "hidden_act": "gelu"}
            """;
    private static final String SCHEDULER = """
            {"_class_name": "DDIMScheduler", "beta_schedule": "scaled_linear", "beta_start": 0.00085,
             "beta_end": 0.012, "clip_sample": false, "set_alpha_to_one": false, "steps_offset": 1,
             "prediction_type": "v_prediction", "timestep_spacing": "trailing"}
            """;

    private static void save(Module module, Path file, NDManager m, long seed) {
        RandomWeights.fill(module, m, DataType.FLOAT32, seed, 0.1);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        module.namedParameters().forEach((k, p) -> tensors.put(k, p.value()));
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));
    }

    private Path buildModel() throws Exception {
        Path dir = tmp.resolve("model");
        for (String sub : List.of("unet", "vae", "text_encoder", "scheduler", "tokenizer")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Files.writeString(dir.resolve("unet/config.json"), UNET);
        Files.writeString(dir.resolve("vae/config.json"), VAE);
        Files.writeString(dir.resolve("text_encoder/config.json"), TEXT);
        Files.writeString(dir.resolve("scheduler/scheduler_config.json"), SCHEDULER);
        try (var files = Files.list(Fixtures.tinySd().resolve("tokenizer"))) {
            for (Path p : files.toList()) {
                Files.copy(p, dir.resolve("tokenizer").resolve(p.getFileName()));
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            save(new UNet2DConditionModel(UNet2DConditionConfig.read(dir.resolve("unet/config.json"))),
                    dir.resolve("unet/diffusion_pytorch_model.safetensors"), m, 1);
            save(new AutoencoderKL(AutoencoderKLConfig.read(dir.resolve("vae/config.json"))),
                    dir.resolve("vae/diffusion_pytorch_model.safetensors"), m, 2);
            save(new CLIPTextModel(CLIPTextConfig.read(dir.resolve("text_encoder/config.json"))),
                    dir.resolve("text_encoder/model.safetensors"), m, 3);
        }
        return dir;
    }

    @Test
    void samplesThroughTheCliAndRecomputesItsLogProbs() throws Exception {
        Path model = buildModel();
        Path traj = tmp.resolve("traj.safetensors");
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), "sample", "--model", model.toString(), "--prompt", "a cat",
                "--prompt", "three red circles", "--steps", "5", "--guidance", "3", "--eta", "0.8", "--seed", "4",
                "--save-trajectory", traj.toString(), "--out", tmp.resolve("out").toString());
        assertEquals(0, code, err.toString());
        try (SafetensorsReader r = SafetensorsReader.open(traj);
                StableDiffusionPipeline pipe = StableDiffusionPipeline.load(model);
                NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new long[] {2, 6, 4, 10, 10}, r.info("latents").shape());
            assertArrayEquals(new long[] {2, 3, 40, 40}, r.info("image").shape());
            assertArrayEquals(new long[] {999, 799, 599, 399, 199}, r.longs("timesteps")); // trailing spacing
            float[] latents = r.floats("latents");
            for (float v : latents) {
                assertTrue(Float.isFinite(v));
            }
            SamplingOptions opts = new SamplingOptions(5, 3.0, 0.8, 0, 0);
            DiffusionPolicy policy = new DiffusionPolicy(pipe, null, opts, true);
            float[] recomputed = new float[10];
            int per = 4 * 10 * 10;
            Shape rows = new Shape(2, 4, 10, 10);
            for (int j = 0; j < 5; j++) {
                try (NDManager s = Scopes.step(m, policy.forwardParameters())) {
                    float[] xt = new float[2 * per];
                    float[] xp = new float[2 * per];
                    for (int b = 0; b < 2; b++) {
                        System.arraycopy(latents, (b * 6 + j) * per, xt, b * per, per);
                        System.arraycopy(latents, (b * 6 + j + 1) * per, xp, b * per, per);
                    }
                    long t = r.longs("timesteps")[j];
                    NDArray embeds = pipe.encodePrompts(List.of("a cat", "three red circles"), s);
                    NDArray neg = pipe.encodePrompts(List.of("", ""), s);
                    DDIMStep step = policy.stepLogProb(s.create(xt, rows), s.create(xp, rows), new long[] {t, t},
                            embeds, neg);
                    float[] lp = step.logProb().toFloatArray();
                    recomputed[j] = lp[0];
                    recomputed[5 + j] = lp[1];
                }
            }
            assertClose(r.floats("log_probs"), recomputed, 1e-5, "recomputed log-probs (other architecture)");
        }
    }
}
