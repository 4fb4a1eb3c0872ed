package ddpo4j.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ddpo4j.Ddpo4jException;
import ddpo4j.models.clip.CLIPTextConfig;
import ddpo4j.models.clip.CLIPVisionConfig;
import ddpo4j.models.unet.UNet2DConditionConfig;
import ddpo4j.models.vae.AutoencoderKLConfig;
import ddpo4j.schedulers.DDIMSchedulerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Values that would build no model, or make us build or allocate without bound, are refused when
 * the config is read, with the file and key named (the fuzz corpus holds the same cases as inputs).
 */
class ConfigValidationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The bundled model's {@code component/config.json} with {@code patch} (a JSON object) merged in. */
    private Path patched(String component, String file, String patch) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(Path.of("models/shapes-sd", component, file).toFile());
        config.setAll((ObjectNode) JSON.readTree(patch.replace('\'', '"')));
        Path out = dir.resolve(component + ".json");
        Files.writeString(out, JSON.writeValueAsString(config));
        return out;
    }

    private static Function<Path, Object> reader(String component) {
        return switch (component) {
            case "unet" -> UNet2DConditionConfig::read;
            case "vae" -> AutoencoderKLConfig::read;
            case "text_encoder" -> CLIPTextConfig::read;
            case "scheduler" -> DDIMSchedulerConfig::read;
            default -> throw new IllegalArgumentException(component);
        };
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "unet|{'block_out_channels': []}|\"block_out_channels\" must be a non-empty list",
        "unet|{'block_out_channels': [64, -128]}|\"block_out_channels\" must be an integer >= 1",
        "unet|{'layers_per_block': 1000000000}|\"layers_per_block\" must be an integer from 1 to 256",
        "unet|{'attention_head_dim': 0}|\"attention_head_dim\" must be an integer >= 1",
        "unet|{'attention_head_dim': 4294967300}|\"attention_head_dim\" must be an integer >= 1",
        "unet|{'attention_head_dim': [4, 4, 3]}|attention_head_dim (the head count) 3 does not divide the 128 channels",
        "unet|{'norm_num_groups': 24}|\"norm_num_groups\" = 24 does not divide block_out_channels entry 32",
        "unet|{'norm_eps': 1e400}|\"norm_eps\" must be a finite number",
        "vae|{'latent_channels': 0}|\"latent_channels\" must be an integer >= 1",
        "text_encoder|{'num_attention_heads': 0}|\"num_attention_heads\" must be an integer >= 1",
        "text_encoder|{'num_attention_heads': 3}|hidden_size 64 is not divisible by num_attention_heads 3",
        "text_encoder|{'num_hidden_layers': 2000000000}|\"num_hidden_layers\" must be an integer from 1 to 256",
        "scheduler|{'num_train_timesteps': 0}|\"num_train_timesteps\" must be an integer from 1 to 1000000",
        "scheduler|{'num_train_timesteps': 2147483647}|\"num_train_timesteps\" must be an integer from 1 to 1000000",
        "scheduler|{'steps_offset': 1000}|\"steps_offset\" must be an integer from 0 to 999",
        "scheduler|{'beta_end': 1.5}|\"beta_end\" must be in [0, 1)",
    })
    void refusedNamingFileAndKey(String component, String patch, String fragment) throws IOException {
        Path file = patched(component, component.equals("scheduler") ? "scheduler_config.json" : "config.json", patch);
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> reader(component).apply(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'model_type': 'clip_vision_model', 'patch_size': 0}|\"patch_size\" must be an integer >= 1",
        "{'model_type': 'clip_vision_model', 'patch_size': 448}|patch_size 448 is larger than image_size 224",
        "{'model_type': 'clip_vision_model', 'hidden_size': 1024}|hidden_size 1024 is not divisible by num_attention_heads 12",
        "{'model_type': 'clip_vision_model', 'image_size': 2000000000, 'patch_size': 1}|more positions than an embedding can hold",
    })
    void visionConfigRefusedNamingFileAndKey(String json, String fragment) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json.replace('\'', '"'));
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> CLIPVisionConfig.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
