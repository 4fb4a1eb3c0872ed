package ddpo4j.models.vae;

import ai.djl.ndarray.NDArray;
import ddpo4j.models.common.ResnetBlock2D;
import ddpo4j.models.common.ResnetSpec;
import ddpo4j.nn.Module;
import ddpo4j.nn.ModuleList;

/** diffusers' {@code UNetMidBlock2D} as the VAE uses it: resnet, self-attention, resnet, no time embedding. */
public final class UNetMidBlock2D extends Module {
    private final ModuleList<ResnetBlock2D> resnets;
    private final ModuleList<VaeAttention> attentions;

    public UNetMidBlock2D(long channels, ResnetSpec resnet) {
        this.attentions = child("attentions", new ModuleList<>());
        this.resnets = child("resnets", new ModuleList<>());
        resnets.add(resnet.block(channels, channels));
        attentions.add(new VaeAttention(channels, resnet.groups(), resnet.eps()));
        resnets.add(resnet.block(channels, channels));
    }

    public NDArray forward(NDArray h) {
        h = resnets.get(0).forward(h, null);
        h = attentions.get(0).forward(h);
        return resnets.get(1).forward(h, null);
    }
}
