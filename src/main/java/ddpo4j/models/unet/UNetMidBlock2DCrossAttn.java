package ddpo4j.models.unet;

import ai.djl.ndarray.NDArray;
import ddpo4j.models.common.ResnetBlock2D;
import ddpo4j.models.common.ResnetSpec;
import ddpo4j.nn.Module;
import ddpo4j.nn.ModuleList;

/** diffusers' {@code UNetMidBlock2DCrossAttn}: resnet, then (transformer, resnet) once per layer. */
public final class UNetMidBlock2DCrossAttn extends Module {
    private final ModuleList<ResnetBlock2D> resnets;
    private final ModuleList<Transformer2DModel> attentions;

    public UNetMidBlock2DCrossAttn(long channels, ResnetSpec resnet, CrossAttentionSpec attention,
            double outputScaleFactor) {
        this.attentions = child("attentions", new ModuleList<>());
        this.resnets = child("resnets", new ModuleList<>());
        resnets.add(resnet.block(channels, channels, outputScaleFactor));
        attentions.add(attention.transformer(channels));
        resnets.add(resnet.block(channels, channels, outputScaleFactor));
    }

    public NDArray forward(NDArray h, NDArray temb, NDArray context) {
        h = resnets.get(0).forward(h, temb);
        for (int i = 0; i < attentions.size(); i++) {
            h = attentions.get(i).forward(h, context);
            h = resnets.get(i + 1).forward(h, temb);
        }
        return h;
    }
}
