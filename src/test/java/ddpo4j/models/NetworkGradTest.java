package ddpo4j.models;

import static ddpo4j.tensor.GradientCheck.parameters;
import static ddpo4j.tensor.GradientCheck.project;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ddpo4j.models.unet.UNet2DConditionModel;
import ddpo4j.models.vae.AutoencoderKL;
import ddpo4j.tensor.GradientCheck;
import ddpo4j.tensor.Scopes;
import ddpo4j.testing.RandomArrays;
import ddpo4j.testing.RandomWeights;
import ddpo4j.testing.TinyModels;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** float64 central-difference checks of whole tiny networks built from config files. */
@SuppressWarnings("try") // scopes are opened for what they close
class NetworkGradTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final RandomArrays arrays = new RandomArrays();

    @Test
    void unetWrtInputsAndParametersOfEveryKind() {
        UNet2DConditionModel unet = TinyModels.unet(dir);
        NDArray[] params = RandomWeights.fill(unet, arrays.manager(), DataType.FLOAT64, 1);
        NDArray timesteps = arrays.manager().create(new long[] {901, 1});
        Map<String, NDArray> inputs = new LinkedHashMap<>();
        inputs.put("sample", arrays.randn(2, 4, 8, 8));
        inputs.put("context", arrays.randn(2, 3, 8));
        inputs.putAll(parameters(unet,
                "conv_in.weight",
                "time_embedding.linear_1.weight",
                "down_blocks.0.resnets.0.norm1.weight",
                "down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight",
                "down_blocks.0.downsamplers.0.conv.weight",
                "mid_block.attentions.0.proj_in.bias",
                "up_blocks.0.resnets.0.conv_shortcut.weight",
                "up_blocks.1.attentions.0.transformer_blocks.0.ff.net.0.proj.weight",
                "conv_out.bias"));
        try (NDManager s = Scopes.step(arrays.manager(), params)) {
            NDArray out = unet.forward(inputs.get("sample"), timesteps, inputs.get("context"));
            assertEquals(DataType.FLOAT64, out.getDataType(), "a float64 UNet computes in float64");
            assertEquals(new Shape(2, 4, 8, 8), out.getShape());
        }
        GradientCheck.of("UNet2DConditionModel (tiny)", a -> project(unet.forward(a[0], timesteps, a[1])))
                .scoping(params).coordinates(3).check(inputs);
    }

    @Test
    void vaeDecodeWrtLatentsAndParameters() {
        AutoencoderKL vae = TinyModels.vae(dir);
        NDArray[] params = RandomWeights.fill(vae, arrays.manager(), DataType.FLOAT64, 2);
        Map<String, NDArray> inputs = new LinkedHashMap<>();
        inputs.put("z", arrays.randn(1, 4, 4, 4));
        inputs.putAll(parameters(vae,
                "post_quant_conv.weight",
                "decoder.conv_in.weight",
                "decoder.mid_block.resnets.0.conv1.weight",
                "decoder.mid_block.attentions.0.group_norm.weight",
                "decoder.mid_block.attentions.0.to_q.weight",
                "decoder.up_blocks.0.upsamplers.0.conv.weight",
                "decoder.up_blocks.1.resnets.0.conv_shortcut.weight",
                "decoder.conv_norm_out.bias",
                "decoder.conv_out.weight"));
        try (NDManager s = Scopes.step(arrays.manager(), params)) {
            assertEquals(new Shape(1, 3, 8, 8), vae.decode(inputs.get("z")).getShape());
        }
        GradientCheck.of("AutoencoderKL decode (tiny)", a -> project(vae.decode(a[0])))
                .scoping(params).coordinates(3).check(inputs);
    }
}
