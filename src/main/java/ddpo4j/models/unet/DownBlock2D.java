package ddpo4j.models.unet;

import ai.djl.ndarray.NDArray;
import ddpo4j.models.common.Downsample2D;
import ddpo4j.models.common.ResnetBlock2D;
import ddpo4j.models.common.ResnetSpec;
import ddpo4j.nn.Module;
import ddpo4j.nn.ModuleList;
import java.util.List;

/**
 * diffusers' {@code DownBlock2D}: a stack of resnets, each output kept as a skip connection, then
 * an optional stride-2 downsampler. {@link CrossAttnDownBlock2D} adds a transformer after each resnet.
 */
public class DownBlock2D extends Module {
    private final ModuleList<ResnetBlock2D> resnets;
    private final ModuleList<Transformer2DModel> attentions;
    private final Downsample2D downsampler;

    public DownBlock2D(int layers, long in, long out, ResnetSpec resnet, boolean addDownsample, int downsamplePadding) {
        this(layers, in, out, resnet, null, addDownsample, downsamplePadding);
    }

    protected DownBlock2D(int layers, long in, long out, ResnetSpec resnet, CrossAttentionSpec attention,
            boolean addDownsample, int downsamplePadding) {
        this.resnets = child("resnets", new ModuleList<>());
        this.attentions = attention == null ? null : child("attentions", new ModuleList<>());
        for (int i = 0; i < layers; i++) {
            resnets.add(resnet.block(i == 0 ? in : out, out));
            if (attentions != null) {
                attentions.add(attention.transformer(out));
            }
        }
        this.downsampler = addDownsample
                ? child("downsamplers", new ModuleList<Downsample2D>()).add(new Downsample2D(out, downsamplePadding))
                : null;
    }

    /** Runs the block, appending every intermediate output to {@code skips}; returns the block output. */
    public NDArray forward(NDArray h, NDArray temb, NDArray context, List<NDArray> skips) {
        for (int i = 0; i < resnets.size(); i++) {
            h = resnets.get(i).forward(h, temb);
            if (attentions != null) {
                h = attentions.get(i).forward(h, context);
            }
            skips.add(h);
        }
        if (downsampler != null) {
            h = downsampler.forward(h);
            skips.add(h);
        }
        return h;
    }
}
