package ddpo4j.models.vae;

import ai.djl.ndarray.NDArray;
import ddpo4j.models.common.ResnetSpec;
import ddpo4j.nn.Conv2d;
import ddpo4j.nn.GroupNorm;
import ddpo4j.nn.Module;
import ddpo4j.nn.ModuleList;

/** The VAE decoder: latents (B, latent, h, w) to an image (B, 3, h*f, w*f) in roughly [-1, 1]. */
public final class Decoder extends Module {
    private final Conv2d convIn;
    private final UNetMidBlock2D midBlock;
    private final ModuleList<UpDecoderBlock2D> upBlocks;
    private final GroupNorm convNormOut;
    private final Conv2d convOut;
    private final ResnetSpec resnet;

    public Decoder(AutoencoderKLConfig config, ResnetSpec resnet) {
        int[] ch = config.blockOutChannels();
        int n = ch.length;
        this.resnet = resnet;
        this.convIn = child("conv_in", Conv2d.same(config.latentChannels(), ch[n - 1], 3));
        this.midBlock = child("mid_block", new UNetMidBlock2D(ch[n - 1], resnet));
        this.upBlocks = child("up_blocks", new ModuleList<>());
        long out = ch[n - 1];
        for (int i = 0; i < n; i++) {
            long in = out;
            out = ch[n - 1 - i];
            upBlocks.add(new UpDecoderBlock2D(config.layersPerBlock() + 1, in, out, resnet, i < n - 1));
        }
        this.convNormOut = child("conv_norm_out", new GroupNorm(resnet.groups(), ch[0], resnet.eps()));
        this.convOut = child("conv_out", Conv2d.same(ch[0], config.outChannels(), 3));
    }

    public NDArray forward(NDArray z) {
        NDArray h = midBlock.forward(convIn.forward(z));
        for (UpDecoderBlock2D b : upBlocks) {
            h = b.forward(h);
        }
        return convOut.forward(resnet.act().apply(convNormOut.forward(h)));
    }
}
