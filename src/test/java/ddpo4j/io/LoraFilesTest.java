package ddpo4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import ddpo4j.nn.LoraLayers;
import ddpo4j.pipeline.SamplingOptions;
import ddpo4j.pipeline.SeededNoise;
import ddpo4j.pipeline.StableDiffusionPipeline;
import ddpo4j.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA files: PEFT layout, diffusers 0.17 names accepted, and a saved adapter reproduces its samples. */
class LoraFilesTest {
    @TempDir
    Path tmp;

    @Test
    void savedLoraLoadsBackAndGivesIdenticalSamples() throws Exception {
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(Fixtures.tinySd());
                NDManager m = NDManager.newBaseManager()) {
            LoraLayers lora = LoraLayers.install(pipe.unet(), LoraLayers.ATTENTION_TARGETS, 4, 4);
            lora.initialize(m, 5);
            for (var p : lora.namedParameters("").values()) { // non-zero B so the adapter matters
                p.set(p.value().add(m.randomNormal(p.shape()).mul(0.05)));
            }
            SamplingOptions o = new SamplingOptions(3, 5.0, 1.0, 0, 0);
            float[] before = pipe.sample(List.of("a cat"), o, new SeededNoise(1, new long[] {0}), m, null)
                    .images().toFloatArray();
            LoraFiles.save(tmp, lora, Map.of("format", "pt"));
            JsonNode cfg = new ObjectMapper().readTree(tmp.resolve(LoraFiles.ADAPTER_CONFIG).toFile());
            assertEquals("LORA", cfg.get("peft_type").asText());
            assertEquals(4, cfg.get("r").asInt());
            try (SafetensorsReader r = SafetensorsReader.open(tmp.resolve(LoraFiles.WEIGHTS))) {
                assertEquals(96, r.keys().size());
                assertTrue(r.contains("unet.down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k.lora_A.weight"));
            }
            for (var p : lora.namedParameters("").values()) {
                p.set(m.zeros(p.shape()));
            }
            LoraFiles.load(tmp, lora, m);
            float[] after = pipe.sample(List.of("a cat"), o, new SeededNoise(1, new long[] {0}), m, null)
                    .images().toFloatArray();
            assertArrayEquals(before, after);
        }
    }

    @Test
    void convolutionAdaptersRoundTripThroughTheirDeclaredTargets() throws Exception {
        List<String> targets = List.of("to_q", "to_v", "conv1");
        SamplingOptions o = new SamplingOptions(3, 5.0, 1.0, 0, 0);
        float[] before;
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(Fixtures.tinySd());
                NDManager m = NDManager.newBaseManager()) {
            LoraLayers lora = LoraLayers.install(pipe.unet(), targets, 2, 4);
            lora.initialize(m, 5);
            for (var p : lora.namedParameters("").values()) {
                p.set(p.value().add(m.randomNormal(p.shape()).mul(0.05)));
            }
            before = pipe.sample(List.of("a cat"), o, new SeededNoise(1, new long[] {0}), m, null)
                    .images().toFloatArray();
            LoraFiles.save(tmp, lora, Map.of());
            JsonNode cfg = new ObjectMapper().readTree(tmp.resolve(LoraFiles.ADAPTER_CONFIG).toFile());
            assertEquals("[\"to_q\",\"to_v\",\"conv1\"]", cfg.get("target_modules").toString());
            lora.setEnabled(false);
            float[] base = pipe.sample(List.of("a cat"), o, new SeededNoise(1, new long[] {0}), m, null)
                    .images().toFloatArray();
            assertTrue(!java.util.Arrays.equals(before, base), "the adapters change the samples");
        }
        // a fresh pipeline: apply installs what the file declares, conv layers included
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(Fixtures.tinySd());
                NDManager m = NDManager.newBaseManager()) {
            LoraLayers loaded = LoraFiles.apply(tmp, pipe.unet(), 0, m);
            assertEquals(targets, loaded.targets());
            assertEquals(2, loaded.rank());
            assertTrue(loaded.adapters().keySet().stream().anyMatch(k -> k.endsWith("resnets.0.conv1")),
                    loaded.adapters().keySet().toString());
            float[] after = pipe.sample(List.of("a cat"), o, new SeededNoise(1, new long[] {0}), m, null)
                    .images().toFloatArray();
            assertArrayEquals(before, after);
        }
    }

    @Test
    void diffusers017ProcessorNamesMapToPeft() {
        assertEquals("unet.down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k.lora_A.weight",
                LoraFiles.canonical("down_blocks.1.attentions.0.transformer_blocks.0.attn2.processor.to_k_lora.down.weight"));
        assertEquals("unet.mid_block.attentions.0.transformer_blocks.0.attn1.to_out.0.lora_B.weight",
                LoraFiles.canonical("mid_block.attentions.0.transformer_blocks.0.attn1.processor.to_out_lora.up.weight"));
        assertEquals("unet.x.to_q.lora_A.weight", LoraFiles.canonical("unet.x.to_q.lora.down.weight"));
    }

    @Test
    void wrongRankIsRefusedWithTheKey() {
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(Fixtures.tinySd());
                NDManager m = NDManager.newBaseManager()) {
            LoraLayers r4 = LoraLayers.install(pipe.unet(), LoraLayers.ATTENTION_TARGETS, 4, 4);
            r4.initialize(m, 1);
            LoraFiles.save(tmp, r4, Map.of());
        }
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(Fixtures.tinySd());
                NDManager m = NDManager.newBaseManager()) {
            LoraLayers r8 = LoraLayers.install(pipe.unet(), LoraLayers.ATTENTION_TARGETS, 8, 8);
            Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> LoraFiles.load(tmp, r8, m));
            assertTrue(e.getMessage().contains("lora_A.weight has shape [4, 64]"), e.getMessage());
        }
    }
}
