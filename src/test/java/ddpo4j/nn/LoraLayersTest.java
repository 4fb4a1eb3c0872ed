package ddpo4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.Ddpo4jException;
import ddpo4j.models.unet.UNet2DConditionConfig;
import ddpo4j.models.unet.UNet2DConditionModel;
import ddpo4j.tensor.Functional;
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
        LoraLayers lora = LoraLayers.install(sd15(), LoraLayers.ATTENTION_TARGETS, 4, 4);
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
        LoraLayers lora = LoraLayers.install(sd15(), LoraLayers.ATTENTION_TARGETS, 4, 8);
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
    void aTargetThatNamesNothingIsAnErrorNamingIt() throws Exception {
        Ddpo4jException e = assertThrows(Ddpo4jException.class,
                () -> LoraLayers.install(sd15(), List.of("to_q", "to_qq"), 4, 4));
        assertTrue(e.getMessage().contains("[to_qq]"), e.getMessage());
    }

    @Test
    void convolutionTargetsFollowPeftsConvForm() throws Exception {
        LoraLayers lora = LoraLayers.install(sd15(), List.of("conv1", "conv2"), 4, 4);
        Map<String, Parameter> p = lora.namedParameters("unet.");
        // SD 1.5's ResNet blocks: 4 x 2 down, 4 x 3 up, 2 mid = 22, two convolutions each; not conv_in,
        // conv_out, the samplers' conv or the shortcuts
        assertEquals(22 * 2 * 2, p.size());
        assertArrayEquals(new long[] {4, 320, 3, 3},
                p.get("unet.down_blocks.0.resnets.0.conv1.lora_A.weight").shape().getShape());
        assertArrayEquals(new long[] {320, 4, 1, 1},
                p.get("unet.down_blocks.0.resnets.0.conv1.lora_B.weight").shape().getShape());
        assertTrue(p.keySet().stream().noneMatch(k -> k.contains("downsamplers") || k.contains("conv_in")), p.keySet().toString());
        assertEquals(List.of("conv1", "conv2"), lora.targets());
        // the other targets docs/configuration.md names exist too (SD 1.5's proj_in/out are 1x1 convolutions)
        LoraLayers others = LoraLayers.install(sd15(), List.of("proj_in", "proj_out", "ff.net.0.proj", "ff.net.2",
                "time_emb_proj"), 2, 2);
        assertEquals(16 * 4 + 22, others.adapters().size());
    }

    @Test
    void aConvolutionsAdapterIsItsMergedWeight() {
        // PEFT merges a conv LoRA as W + scale * B A (B's 1x1 kernel times A's k x k kernel)
        try (NDManager m = NDManager.newBaseManager()) {
            Conv2d conv = new Conv2d(3, 5, 3, 2, 1);
            conv.namedParameters().values().forEach(p -> p.set(m.randomNormal(p.shape())));
            LoraAdapter a = conv.attachLora(2, 0.5);
            a.a().set(m.randomNormal(a.a().shape()));
            a.b().set(m.randomNormal(a.b().shape()));
            NDArray x = m.randomNormal(new Shape(2, 3, 8, 8));
            NDArray y = conv.forward(x);
            NDArray merged = conv.namedParameters().get("weight").value()
                    .add(a.b().value().reshape(5, 2).matMul(a.a().value().reshape(2, 27)).reshape(5, 3, 3, 3).mul(0.5));
            NDArray expected = Functional.conv2d(x, merged, conv.namedParameters().get("bias").value(), 2, 1);
            assertEquals(0f, y.sub(expected).abs().max().getFloat(), 1e-4f);
            a.setEnabled(false);
            NDArray base = Functional.conv2d(x, conv.namedParameters().get("weight").value(),
                    conv.namedParameters().get("bias").value(), 2, 1);
            assertEquals(0f, conv.forward(x).sub(base).abs().max().getFloat(), 0f);
        }
    }

    @Test
    void aLinearsAdapterComputesPeftsUnfoldedUpdate() {
        // PEFT's forward: x W^T + b + scale * (x A^T) B^T; ours folds the update into W
        try (NDManager m = NDManager.newBaseManager()) {
            Linear lin = new Linear(6, 5, true);
            lin.namedParameters().values().forEach(p -> p.set(m.randomNormal(p.shape())));
            LoraAdapter a = lin.attachLora(3, 0.25);
            a.a().set(m.randomNormal(a.a().shape()));
            a.b().set(m.randomNormal(a.b().shape()));
            NDArray x = m.randomNormal(new Shape(2, 7, 6));
            NDArray expected = Functional.linear(x, lin.weight().value(), lin.namedParameters().get("bias").value())
                    .add(Functional.linear(Functional.linear(x, a.a().value(), null), a.b().value(), null).mul(0.25));
            assertEquals(0f, lin.forward(x).sub(expected).abs().max().getFloat(), 1e-5f);
        }
    }
}
