package ddpo4j.models.vae;

import ai.djl.ndarray.NDArray;
import ddpo4j.models.common.Downsample2D;
import ddpo4j.models.common.ResnetBlock2D;
import ddpo4j.models.common.ResnetSpec;
import ddpo4j.nn.Module;
import ddpo4j.nn.ModuleList;

/** diffusers' {@code DownEncoderBlock2D}: resnets without time embedding, then an optional downsampler (padding 0). */
public final class DownEncoderBlock2D extends Module {
    private final ModuleList<ResnetBlock2D> resnets;
    private final Downsample2D downsampler;

    public DownEncoderBlock2D(int layers, long in, long out, ResnetSpec resnet, boolean addDownsample) {
        this.resnets = child("resnets", new ModuleList<>());
        for (int i = 0; i < layers; i++) {
            resnets.add(resnet.block(i == 0 ? in : out, out));
        }
        this.downsampler = addDownsample
                ? child("downsamplers", new ModuleList<Downsample2D>()).add(new Downsample2D(out, 0))
                : null;
    }

    public NDArray forward(NDArray h) {
        for (ResnetBlock2D r : resnets) {
            h = r.forward(h, null);
        }
        return downsampler == null ? h : downsampler.forward(h);
    }
}
