package ddpo4j.models.vae;

import ai.djl.ndarray.NDArray;
import ddpo4j.models.common.ResnetBlock2D;
import ddpo4j.models.common.ResnetSpec;
import ddpo4j.models.common.Upsample2D;
import ddpo4j.nn.Module;
import ddpo4j.nn.ModuleList;

/** diffusers' {@code UpDecoderBlock2D}: resnets without time embedding or skips, then an optional upsampler. */
public final class UpDecoderBlock2D extends Module {
    private final ModuleList<ResnetBlock2D> resnets;
    private final Upsample2D upsampler;

    public UpDecoderBlock2D(int layers, long in, long out, ResnetSpec resnet, boolean addUpsample) {
        this.resnets = child("resnets", new ModuleList<>());
        for (int i = 0; i < layers; i++) {
            resnets.add(resnet.block(i == 0 ? in : out, out));
        }
        this.upsampler = addUpsample
                ? child("upsamplers", new ModuleList<Upsample2D>()).add(new Upsample2D(out))
                : null;
    }

    public NDArray forward(NDArray h) {
        for (ResnetBlock2D r : resnets) {
            h = r.forward(h, null);
        }
        return upsampler == null ? h : upsampler.forward(h);
    }
}
