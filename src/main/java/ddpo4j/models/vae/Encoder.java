package ddpo4j.models.vae;

import ai.djl.ndarray.NDArray;
import ddpo4j.models.common.ResnetSpec;
import ddpo4j.nn.Conv2d;
import ddpo4j.nn.GroupNorm;
import ddpo4j.nn.Module;
import ddpo4j.nn.ModuleList;

/** The VAE encoder: image (B, 3, H, W) to the moments (B, 2*latent, H/f, W/f) of the latent Gaussian. */
public final class Encoder extends Module {
    private final Conv2d convIn;
    private final ModuleList<DownEncoderBlock2D> downBlocks;
    private final UNetMidBlock2D midBlock;
    private final GroupNorm convNormOut;
    private final Conv2d convOut;
    private final ResnetSpec resnet;

    public Encoder(AutoencoderKLConfig config, ResnetSpec resnet) {
        int[] ch = config.blockOutChannels();
        this.resnet = resnet;
        this.convIn = child("conv_in", Conv2d.same(config.inChannels(), ch[0], 3));
        this.downBlocks = child("down_blocks", new ModuleList<>());
        long out = ch[0];
        for (int i = 0; i < ch.length; i++) {
            long in = out;
            out = ch[i];
            downBlocks.add(new DownEncoderBlock2D(config.layersPerBlock(), in, out, resnet, i < ch.length - 1));
        }
        this.midBlock = child("mid_block", new UNetMidBlock2D(out, resnet));
        this.convNormOut = child("conv_norm_out", new GroupNorm(resnet.groups(), out, resnet.eps()));
        this.convOut = child("conv_out", Conv2d.same(out, 2L * config.latentChannels(), 3));
    }

    public NDArray forward(NDArray x) {
        NDArray h = convIn.forward(x);
        for (DownEncoderBlock2D b : downBlocks) {
            h = b.forward(h);
        }
        h = midBlock.forward(h);
        return convOut.forward(resnet.act().apply(convNormOut.forward(h)));
    }
}
