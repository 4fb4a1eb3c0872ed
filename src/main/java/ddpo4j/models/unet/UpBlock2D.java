package ddpo4j.models.unet;

import ai.djl.ndarray.NDArray;
import ddpo4j.models.common.ResnetBlock2D;
import ddpo4j.models.common.ResnetSpec;
import ddpo4j.models.common.Upsample2D;
import ddpo4j.nn.Module;
import ddpo4j.nn.ModuleList;
import java.util.List;

/**
 * diffusers' {@code UpBlock2D}: resnets that each take the previous output concatenated with one
 * skip connection (popped last-in first-out), then an optional upsampler.
 * {@link CrossAttnUpBlock2D} adds a transformer after each resnet.
 */
public class UpBlock2D extends Module {
    private final ModuleList<ResnetBlock2D> resnets;
    private final ModuleList<Transformer2DModel> attentions;
    private final Upsample2D upsampler;

    public UpBlock2D(int layers, long in, long out, long prevOut, ResnetSpec resnet, boolean addUpsample) {
        this(layers, in, out, prevOut, resnet, null, addUpsample);
    }

    protected UpBlock2D(int layers, long in, long out, long prevOut, ResnetSpec resnet, CrossAttentionSpec attention,
            boolean addUpsample) {
        this.resnets = child("resnets", new ModuleList<>());
        this.attentions = attention == null ? null : child("attentions", new ModuleList<>());
        for (int i = 0; i < layers; i++) {
            long skipChannels = i == layers - 1 ? in : out;
            long resnetIn = i == 0 ? prevOut : out;
            resnets.add(resnet.block(resnetIn + skipChannels, out));
            if (attentions != null) {
                attentions.add(attention.transformer(out));
            }
        }
        this.upsampler = addUpsample
                ? child("upsamplers", new ModuleList<Upsample2D>()).add(new Upsample2D(out))
                : null;
    }

    /**
     * Consumes one skip per resnet from the end of {@code skips}. The upsampler resizes to the
     * size of the next remaining skip, which is 2x except for inputs not divisible by the UNet's factor.
     */
    public NDArray forward(NDArray h, NDArray temb, NDArray context, List<NDArray> skips) {
        for (int i = 0; i < resnets.size(); i++) {
            NDArray skip = skips.remove(skips.size() - 1);
            h = resnets.get(i).forward(h.concat(skip, 1), temb);
            if (attentions != null) {
                h = attentions.get(i).forward(h, context);
            }
        }
        if (upsampler != null) {
            NDArray next = skips.get(skips.size() - 1);
            h = upsampler.forward(h, next.getShape().get(2), next.getShape().get(3));
        }
        return h;
    }
}
