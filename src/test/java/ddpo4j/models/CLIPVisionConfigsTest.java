package ddpo4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.Ddpo4jException;
import ddpo4j.models.clip.CLIPVisionConfig;
import ddpo4j.models.clip.CLIPVisionModelWithProjection;
import ddpo4j.nn.ActivationFunction;
import ddpo4j.nn.Parameter;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published {@code openai/clip-vit-large-patch14} config builds a shape-only
 * CLIPVisionModelWithProjection whose keys, shapes and parameter count are the real checkpoint's.
 */
class CLIPVisionConfigsTest {
    @TempDir
    Path tmp;

    private static Path resource(String path) {
        try {
            return Path.of(CLIPVisionConfigsTest.class.getResource("/" + path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertShape(Map<String, Parameter> params, String key, long... shape) {
        Parameter p = params.get(key);
        assertTrue(p != null, "missing key " + key);
        assertArrayEquals(shape, p.shape().getShape(), key);
        assertFalse(p.isSet(), "shape-only tree must not allocate " + key);
    }

    @Test
    void vitL14MatchesTheRealCheckpoint() {
        CLIPVisionConfig c = CLIPVisionConfig.read(resource("clip-configs/clip-vit-large-patch14/config.json"));
        assertEquals(new CLIPVisionConfig(1024, 4096, 24, 16, 3, 224, 14, ActivationFunction.QUICK_GELU, 1e-5, 768), c);
        assertEquals(257, c.numPositions());

        CLIPVisionModelWithProjection m = new CLIPVisionModelWithProjection(c);
        Map<String, Parameter> params = m.namedParameters();
        long vision = params.entrySet().stream().filter(e -> e.getKey().startsWith("vision_model."))
                .mapToLong(e -> e.getValue().shape().size()).sum();
        long projection = params.entrySet().stream().filter(e -> e.getKey().startsWith("visual_projection."))
                .mapToLong(e -> e.getValue().shape().size()).sum();
        // class 1,024 + patch 602,112 + positions 263,168 + pre/post norms 4,096
        // + 24 layers x 12,596,224 (q/k/v/o 4,198,400 + fc1 4,198,400 + fc2 4,195,328 + norms 4,096)
        assertEquals(303_179_776L, vision);
        assertEquals(786_432L, projection); // 768 x 1024, no bias
        assertEquals(392, params.size()); // 7 + 24 x 16 + 1
        assertTrue(params.keySet().stream().allMatch(CLIPVisionModelWithProjection::ownsKey));

        assertShape(params, "vision_model.embeddings.class_embedding", 1024);
        assertShape(params, "vision_model.embeddings.patch_embedding.weight", 1024, 3, 14, 14);
        assertShape(params, "vision_model.embeddings.position_embedding.weight", 257, 1024);
        assertShape(params, "vision_model.pre_layrnorm.weight", 1024);
        assertShape(params, "vision_model.encoder.layers.0.self_attn.q_proj.weight", 1024, 1024);
        assertShape(params, "vision_model.encoder.layers.23.mlp.fc1.weight", 4096, 1024);
        assertShape(params, "vision_model.encoder.layers.23.mlp.fc2.bias", 1024);
        assertShape(params, "vision_model.post_layernorm.bias", 1024);
        assertShape(params, "visual_projection.weight", 768, 1024);
        assertFalse(params.containsKey("vision_model.embeddings.patch_embedding.bias"));
        assertFalse(params.containsKey("visual_projection.bias"));
        assertArrayEquals(new long[] {1, 257},
                m.namedOptionalBuffers().get("vision_model.embeddings.position_ids").getShape());
    }

    @Test
    void visionConfigDictWinsOverVisionConfigAsInTransformers() throws IOException {
        Path f = tmp.resolve("config.json");
        Files.writeString(f, """
                {"model_type": "clip", "projection_dim": 6, "logit_scale_init_value": 2.6592,
                 "text_config": {"hidden_size": 12}, "text_config_dict": {"hidden_size": 12},
                 "vision_config": {"hidden_size": 64, "patch_size": 4, "image_size": 32, "do_sample": false},
                 "vision_config_dict": {"hidden_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2,
                                        "patch_size": 8, "intermediate_size": 20, "image_size": 32}}""");
        CLIPVisionConfig c = CLIPVisionConfig.read(f);
        assertEquals(16, c.hiddenSize());
        assertEquals(8, c.patchSize());
        assertEquals(6, c.projectionDim());
        assertEquals(17, c.numPositions());
    }

    @Test
    void standaloneVisionConfigAndRefusals() throws IOException {
        Path f = tmp.resolve("config.json");
        Files.writeString(f, """
                {"model_type": "clip_vision_model", "hidden_size": 16, "num_hidden_layers": 1,
                 "num_attention_heads": 2, "patch_size": 8, "image_size": 32, "projection_dim": 4,
                 "hidden_act": "gelu", "_name_or_path": "x"}""");
        CLIPVisionConfig c = CLIPVisionConfig.read(f);
        assertEquals(4, c.projectionDim());
        assertEquals(ActivationFunction.GELU, c.hiddenAct());
        assertEquals(3072, c.intermediateSize()); // transformers' default

        Files.writeString(f, """
                {"model_type": "clip_vision_model", "hidden_size": 16, "num_attention_heads": 2,
                 "use_rope": true}""");
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> CLIPVisionConfig.read(f));
        assertTrue(e.getMessage().contains("use_rope"), e.getMessage());

        Files.writeString(f, """
                {"model_type": "clip", "vision_config": {"hidden_size": 16, "num_attention_heads": 2,
                 "image_size": "big"}}""");
        e = assertThrows(Ddpo4jException.class, () -> CLIPVisionConfig.read(f));
        assertTrue(e.getMessage().contains("section \"vision_config\"") && e.getMessage().contains("image_size"),
                e.getMessage());

        Files.writeString(f, "{\"model_type\": \"siglip_vision_model\"}");
        e = assertThrows(Ddpo4jException.class, () -> CLIPVisionConfig.read(f));
        assertTrue(e.getMessage().contains("siglip_vision_model"), e.getMessage());
    }
}
