package ddpo4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.models.clip.CLIPTextConfig;
import ddpo4j.models.clip.CLIPTextModel;
import ddpo4j.models.unet.UNet2DConditionConfig;
import ddpo4j.models.unet.UNet2DConditionModel;
import ddpo4j.models.vae.AutoencoderKL;
import ddpo4j.models.vae.AutoencoderKLConfig;
import ddpo4j.nn.Module;
import ddpo4j.nn.Parameter;
import ddpo4j.schedulers.DDIMSchedulerConfig;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The published SD 1.5 and SD 2.1 configs build shape-only trees (no weights allocated) with the
 * real checkpoints' key sets, shapes and parameter counts.
 */
class StableDiffusionConfigsTest {
    private static Path config(String path) {
        try {
            return Path.of(StableDiffusionConfigsTest.class.getResource("/sd-configs/" + path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertShape(Module m, String key, long... shape) {
        Parameter p = m.namedParameters().get(key);
        assertTrue(p != null, "missing key " + key);
        assertArrayEquals(shape, p.shape().getShape(), key);
        assertFalse(p.isSet(), "shape-only tree must not allocate " + key);
    }

    @Test
    void sd15UNet() {
        UNet2DConditionModel unet = new UNet2DConditionModel(UNet2DConditionConfig.read(config("sd15/unet/config.json")));
        assertEquals(859_520_964L, unet.parameterCount());
        assertEquals(686, unet.namedParameters().size());
        assertShape(unet, "conv_in.weight", 320, 4, 3, 3);
        assertShape(unet, "time_embedding.linear_1.weight", 1280, 320);
        assertShape(unet, "down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight", 320, 768);
        assertShape(unet, "down_blocks.0.attentions.0.proj_in.weight", 320, 320, 1, 1);
        assertShape(unet, "down_blocks.0.downsamplers.0.conv.weight", 320, 320, 3, 3);
        assertShape(unet, "down_blocks.3.resnets.1.conv2.weight", 1280, 1280, 3, 3);
        assertShape(unet, "mid_block.attentions.0.transformer_blocks.0.ff.net.0.proj.weight", 10240, 1280);
        assertShape(unet, "mid_block.attentions.0.transformer_blocks.0.ff.net.2.weight", 1280, 5120);
        assertShape(unet, "up_blocks.0.resnets.0.conv1.weight", 1280, 2560, 3, 3);
        assertShape(unet, "up_blocks.3.resnets.0.conv_shortcut.weight", 320, 960, 1, 1);
        assertShape(unet, "up_blocks.3.attentions.2.transformer_blocks.0.attn1.to_out.0.bias", 320);
        assertShape(unet, "up_blocks.2.upsamplers.0.conv.weight", 640, 640, 3, 3);
        assertShape(unet, "conv_out.weight", 4, 320, 3, 3);
    }

    @Test
    void sd15VaeAndTextEncoder() {
        AutoencoderKL vae = new AutoencoderKL(AutoencoderKLConfig.read(config("sd15/vae/config.json")));
        assertEquals(83_653_863L, vae.parameterCount());
        assertEquals(248, vae.namedParameters().size());
        assertShape(vae, "decoder.mid_block.attentions.0.to_q.weight", 512, 512);
        assertShape(vae, "encoder.conv_out.weight", 8, 512, 3, 3);
        assertShape(vae, "decoder.up_blocks.3.resnets.0.conv_shortcut.weight", 128, 256, 1, 1);
        assertShape(vae, "quant_conv.weight", 8, 8, 1, 1);
        assertEquals(8, vae.scaleFactor());

        CLIPTextModel text = new CLIPTextModel(CLIPTextConfig.read(config("sd15/text_encoder/config.json")));
        assertEquals(123_060_480L, text.parameterCount());
        assertEquals(196, text.namedParameters().size());
        assertShape(text, "text_model.embeddings.token_embedding.weight", 49408, 768);
        assertShape(text, "text_model.encoder.layers.11.mlp.fc1.weight", 3072, 768);
        Map<String, ai.djl.ndarray.types.Shape> buffers = text.namedOptionalBuffers();
        assertArrayEquals(new long[] {1, 77}, buffers.get("text_model.embeddings.position_ids").getShape());
    }

    @Test
    void sd21Models() {
        UNet2DConditionModel unet = new UNet2DConditionModel(UNet2DConditionConfig.read(config("sd21/unet/config.json")));
        assertEquals(865_910_724L, unet.parameterCount());
        assertEquals(686, unet.namedParameters().size());
        assertTrue(unet.config().useLinearProjection());
        assertTrue(unet.config().upcastAttention());
        assertShape(unet, "down_blocks.0.attentions.0.proj_in.weight", 320, 320); // linear projection
        assertShape(unet, "down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_v.weight", 640, 1024);
        AutoencoderKL vae = new AutoencoderKL(AutoencoderKLConfig.read(config("sd21/vae/config.json")));
        assertEquals(83_653_863L, vae.parameterCount());
        CLIPTextModel text = new CLIPTextModel(CLIPTextConfig.read(config("sd21/text_encoder/config.json")));
        assertEquals(340_387_840L, text.parameterCount());
        assertEquals(372, text.namedParameters().size());
    }

    @Test
    void schedulersOfBothVersionsParse() {
        DDIMSchedulerConfig sd15 = DDIMSchedulerConfig.read(config("sd15/scheduler/scheduler_config.json"));
        assertEquals("epsilon", sd15.predictionType());
        assertFalse(sd15.clipSample());
        DDIMSchedulerConfig sd21 = DDIMSchedulerConfig.read(config("sd21/scheduler/scheduler_config.json"));
        assertEquals("v_prediction", sd21.predictionType());
    }
}
