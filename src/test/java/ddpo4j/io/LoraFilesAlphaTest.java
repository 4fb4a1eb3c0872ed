package ddpo4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import ddpo4j.nn.LoraAdapter;
import ddpo4j.nn.LoraLayers;
import ddpo4j.pipeline.SamplingOptions;
import ddpo4j.pipeline.SeededNoise;
import ddpo4j.pipeline.StableDiffusionPipeline;
import ddpo4j.testing.Fixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA alpha on disk: a rank-4, alpha-8 adapter (scale 2) is written with diffusers'
 * {@code lora_adapter_metadata} and read back at the same scale, and {@code init_lora}-style loading
 * into an adapter of another alpha is refused naming the file.
 */
class LoraFilesAlphaTest {
    private static final SamplingOptions THREE_STEPS = new SamplingOptions(3, 5.0, 1.0, 0, 0);

    @TempDir
    Path tmp;

    @Test
    void alphaOtherThanRankRoundTripsAtTheSameScaleAndOutputs() throws Exception {
        float[] before;
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(Fixtures.tinySd());
                NDManager m = NDManager.newBaseManager()) {
            LoraLayers lora = saveRank4Alpha8(pipe, m);
            before = sample(pipe, m);
            lora.setEnabled(false); // the adapter must matter, else equal outputs prove nothing
            assertFalse(java.util.Arrays.equals(before, sample(pipe, m)));
        }
        // diffusers reads only the header: so must the round trip
        Files.delete(tmp.resolve(LoraFiles.ADAPTER_CONFIG));
        assertEquals(new LoraAdapterConfig(4, 8, LoraAdapterConfig.ATTENTION_TARGETS), LoraFiles.declaredConfig(tmp).get());
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(Fixtures.tinySd());
                NDManager m = NDManager.newBaseManager()) {
            LoraLayers loaded = LoraFiles.apply(tmp, pipe.unet(), 0, m);
            assertEquals(4, loaded.rank());
            assertEquals(8.0, loaded.alpha());
            for (LoraAdapter a : loaded.adapters().values()) {
                assertEquals(2.0, a.scale());
            }
            assertArrayEquals(before, sample(pipe, m));
        }
    }

    @Test
    void headerHoldsProvenanceAndDiffusersMetadataAsAJsonString() throws Exception {
        saveRank4Alpha8();
        Path weights = tmp.resolve(LoraFiles.WEIGHTS);
        JsonNode meta = rawHeader(weights).get("__metadata__");
        assertEquals(List.of("format", "ddpo4j.epoch", "lora_adapter_metadata"), fieldNames(meta));
        assertEquals("pt", meta.get("format").asText());
        assertEquals("3", meta.get("ddpo4j.epoch").asText());
        assertTrue(meta.get("lora_adapter_metadata").isTextual(), "diffusers json.loads a string value");
        JsonNode parsed = new ObjectMapper().readTree(meta.get("lora_adapter_metadata").asText());
        assertEquals(4, parsed.get("unet.r").asInt());
        assertEquals(8, parsed.get("unet.lora_alpha").asInt());
        assertEquals("[\"to_q\",\"to_k\",\"to_v\",\"to_out.0\"]", parsed.get("unet.target_modules").toString());
        // adapter_config.json is kept for PEFT users and says the same
        JsonNode cfg = new ObjectMapper().readTree(tmp.resolve(LoraFiles.ADAPTER_CONFIG).toFile());
        assertEquals(4, cfg.get("r").asInt());
        assertEquals(8, cfg.get("lora_alpha").asInt());
    }

    @Test
    void loadingIntoAnotherAlphaIsRefusedNamingTheFile() {
        saveRank4Alpha8();
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(Fixtures.tinySd());
                NDManager m = NDManager.newBaseManager()) {
            // what TrainCommand does for init_lora with lora_rank=4, lora_alpha=4
            LoraLayers alpha4 = LoraLayers.install(pipe.unet(), LoraLayers.ATTENTION_TARGETS, 4, 4);
            Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> LoraFiles.load(tmp, alpha4, m));
            assertTrue(e.getMessage().contains(tmp.resolve(LoraFiles.WEIGHTS).toString())
                    && e.getMessage().contains("lora_adapter_metadata") && e.getMessage().contains("lora_alpha=8.0")
                    && e.getMessage().contains("alpha 4.0"), e.getMessage());
        }
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(Fixtures.tinySd());
                NDManager m = NDManager.newBaseManager()) {
            // --lora-rank 8 for a rank-4 file
            Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> LoraFiles.apply(tmp, pipe.unet(), 8, m));
            assertTrue(e.getMessage().contains(tmp.resolve(LoraFiles.WEIGHTS).toString()), e.getMessage());
        }
    }

    @Test
    void withoutHeaderMetadataAdapterConfigJsonGivesAlpha() throws Exception {
        saveRank4Alpha8();
        try (NDManager m = NDManager.newBaseManager()) {
            Path weights = tmp.resolve(LoraFiles.WEIGHTS);
            try (SafetensorsReader r = SafetensorsReader.open(weights)) { // as older ddpo4j wrote it: no metadata
                Map<String, NDArray> all = r.loadAll(m);
                SafetensorsWriter.write(weights, all, null);
            }
            assertEquals(8.0, LoraFiles.declaredConfig(tmp).get().alpha());
            Files.writeString(tmp.resolve(LoraFiles.ADAPTER_CONFIG), "{\"r\": 4, \"lora_alpha\": \"eight\"}");
            Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> LoraFiles.declaredConfig(tmp));
            assertTrue(e.getMessage().contains(tmp.resolve(LoraFiles.ADAPTER_CONFIG).toString())
                    && e.getMessage().contains("lora_alpha"), e.getMessage());
            Files.delete(tmp.resolve(LoraFiles.ADAPTER_CONFIG));
            assertTrue(LoraFiles.declaredConfig(tmp).isEmpty());
        }
    }

    private void saveRank4Alpha8() {
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(Fixtures.tinySd());
                NDManager m = NDManager.newBaseManager()) {
            saveRank4Alpha8(pipe, m);
        }
    }

    /** Installs rank 4, alpha 8 adapters with non-zero B and saves them to {@code tmp} with provenance. */
    private LoraLayers saveRank4Alpha8(StableDiffusionPipeline pipe, NDManager m) {
        LoraLayers lora = LoraLayers.install(pipe.unet(), LoraLayers.ATTENTION_TARGETS, 4, 8);
        lora.initialize(m, 5);
        for (var p : lora.namedParameters("").values()) {
            p.set(p.value().add(m.randomNormal(p.shape()).mul(0.05)));
        }
        LoraFiles.save(tmp, lora, Map.of("ddpo4j.epoch", "3"));
        return lora;
    }

    private static float[] sample(StableDiffusionPipeline pipe, NDManager m) {
        return pipe.sample(List.of("a cat"), THREE_STEPS, new SeededNoise(1, new long[] {0}), m, null)
                .images().toFloatArray();
    }

    /** The header JSON exactly as stored, so a value's JSON type can be checked. */
    private static JsonNode rawHeader(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        int n = (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new ObjectMapper().readTree(new String(bytes, 8, n, java.nio.charset.StandardCharsets.UTF_8));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
