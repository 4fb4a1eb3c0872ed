package ddpo4j.models.unet;

import ddpo4j.models.common.ResnetSpec;

/** diffusers' {@code CrossAttnDownBlock2D}: a {@link DownBlock2D} with a transformer after every resnet. */
public final class CrossAttnDownBlock2D extends DownBlock2D {
    public CrossAttnDownBlock2D(int layers, long in, long out, ResnetSpec resnet, CrossAttentionSpec attention,
            boolean addDownsample, int downsamplePadding) {
        super(layers, in, out, resnet, attention, addDownsample, downsamplePadding);
    }
}
