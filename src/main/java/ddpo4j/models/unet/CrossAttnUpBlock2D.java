package ddpo4j.models.unet;

import ddpo4j.models.common.ResnetSpec;

/** diffusers' {@code CrossAttnUpBlock2D}: an {@link UpBlock2D} with a transformer after every resnet. */
public final class CrossAttnUpBlock2D extends UpBlock2D {
    public CrossAttnUpBlock2D(int layers, long in, long out, long prevOut, ResnetSpec resnet,
            CrossAttentionSpec attention, boolean addUpsample) {
        super(layers, in, out, prevOut, resnet, attention, addUpsample);
    }
}
