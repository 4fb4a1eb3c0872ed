package ddpo4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ddpo4j.models.unet.UNet2DConditionConfig;
import ddpo4j.models.unet.UNet2DConditionModel;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LoRA adapters follow PEFT/diffusers naming and shapes, on the real SD 1.5 UNet layout. */
class LoraLayersTest {
    private static UNet2DConditionModel sd15() throws URISyntaxException {
        Path cfg = Path.of(LoraLayersTest.class.getResource("/sd-configs/sd15/unet/config.json").toURI());
        return new UNet2DConditionModel(UNet2DConditionConfig.read(cfg));
    }

    @Test
    void peftKeyNamesAndShapesOnSd15() throws Exception {
        LoraLayers lora = LoraLayers.install(sd15(), LoraLayers.ATTENTION_PROJECTIONS, 4, 4);
        Map<String, Parameter> p = lora.namedParameters("unet.");
        // 16 transformer blocks x 2 attentions x 4 projections x (A, B)
        assertEquals(256, p.size());
        assertArrayEquals(new long[] {4, 320},
                p.get("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight").shape().getShape());
        assertArrayEquals(new long[] {4, 768},
                p.get("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.lora_A.weight").shape().getShape());
        assertArrayEquals(new long[] {1280, 4},
                p.get("unet.mid_block.attentions.0.transformer_blocks.0.attn2.to_out.0.lora_B.weight").shape().getShape());
        List<String> keys = List.copyOf(p.keySet());
        assertTrue(keys.get(0).endsWith("attn1.to_q.lora_A.weight") && keys.get(1).endsWith("attn1.to_q.lora_B.weight"));
        // diffusers' parameter order: down blocks, up blocks, then the mid block
        assertTrue(keys.get(keys.size() - 1).startsWith("unet.mid_block."), keys.get(keys.size() - 1));
        // per block 56 C + 6144 (attn2 k/v read 768-wide text states): 56 * 12480 + 16 * 6144
        assertEquals(797_184L, lora.parameterCount());
    }

    @Test
    void initIsGaussianDownAndZeroUp() throws Exception {
        LoraLayers lora = LoraLayers.install(sd15(), LoraLayers.ATTENTION_PROJECTIONS, 4, 8);
        assertEquals(2.0, lora.adapters().values().iterator().next().scale(), 0);
        try (NDManager m = NDManager.newBaseManager()) {
            lora.initialize(m, 1);
            LoraAdapter a = lora.adapters().values().iterator().next();
            float[] down = a.a().value().toFloatArray();
            double var = 0;
            for (float v : down) {
                var += v * v;
            }
            assertEquals(1.0 / 16, var / down.length, 0.02); // std 1/rank
            assertEquals(0f, a.b().value().abs().max().getFloat(), 0f);
        }
    }

    @Test
    void noMatchIsAnError() throws Exception {
        assertThrows(IllegalArgumentException.class,
                () -> LoraLayers.install(sd15(), java.util.regex.Pattern.compile("nothing"), 4, 4));
    }
}
