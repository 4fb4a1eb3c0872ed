package ddpo4j.models.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ddpo4j.models.common.ResnetSpec;
import ddpo4j.nn.Conv2d;
import ddpo4j.nn.GroupNorm;
import ddpo4j.nn.Module;
import ddpo4j.nn.ModuleList;
import ddpo4j.tensor.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code UNet2DConditionModel} as Stable Diffusion 1.x/2.x use it: predicts the noise
 * (or v) in latents {@code x_t} given the timestep and the text encoder's hidden states.
 */
public final class UNet2DConditionModel extends Module {
    private final UNet2DConditionConfig config;
    private final Conv2d convIn;
    private final TimestepEmbedding timeEmbedding;
    private final ModuleList<DownBlock2D> downBlocks;
    private final UNetMidBlock2DCrossAttn midBlock;
    private final ModuleList<UpBlock2D> upBlocks;
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    /** Builds the tree with declared shapes only; load or initialize weights afterwards. */
    public UNet2DConditionModel(UNet2DConditionConfig config) {
        this.config = config;
        int[] ch = config.blockOutChannels();
        int n = ch.length;
        long tembDim = ch[0] * 4L;
        ResnetSpec resnet = new ResnetSpec(tembDim, config.normNumGroups(), config.normEps(), config.actFn());

        this.convIn = child("conv_in", Conv2d.same(config.inChannels(), ch[0], 3));
        TimestepEmbedding te = new TimestepEmbedding(ch[0], tembDim, config.flipSinToCos(), config.freqShift(),
                config.actFn());
        this.timeEmbedding = child("time_embedding", te);

        this.downBlocks = child("down_blocks", new ModuleList<>());
        // diffusers registers up_blocks before mid_block: parameters() (and so grad-norm order) follow it
        this.upBlocks = child("up_blocks", new ModuleList<>());
        long out = ch[0];
        for (int i = 0; i < n; i++) {
            long in = out;
            out = ch[i];
            boolean last = i == n - 1;
            int layers = config.layersPerBlock()[i];
            if (config.downBlockTypes().get(i).equals("CrossAttnDownBlock2D")) {
                downBlocks.add(new CrossAttnDownBlock2D(layers, in, out, resnet, attention(config.attentionHeads()[i]),
                        !last, config.downsamplePadding()));
            } else {
                downBlocks.add(new DownBlock2D(layers, in, out, resnet, !last, config.downsamplePadding()));
            }
        }

        this.midBlock = child("mid_block", new UNetMidBlock2DCrossAttn(ch[n - 1], resnet,
                attention(config.attentionHeads()[n - 1]), config.midBlockScaleFactor()));

        long upOut = ch[n - 1];
        for (int i = 0; i < n; i++) {
            int r = n - 1 - i; // index into the reversed lists
            long prevOut = upOut;
            upOut = ch[r];
            long in = ch[Math.max(r - 1, 0)];
            boolean last = i == n - 1;
            int layers = config.layersPerBlock()[r] + 1;
            if (config.upBlockTypes().get(i).equals("CrossAttnUpBlock2D")) {
                upBlocks.add(new CrossAttnUpBlock2D(layers, in, upOut, prevOut, resnet,
                        attention(config.attentionHeads()[r]), !last));
            } else {
                upBlocks.add(new UpBlock2D(layers, in, upOut, prevOut, resnet, !last));
            }
        }

        this.convNormOut = child("conv_norm_out", new GroupNorm(config.normNumGroups(), ch[0], config.normEps()));
        this.convOut = child("conv_out", Conv2d.same(ch[0], config.outChannels(), 3));
    }

    private CrossAttentionSpec attention(int heads) {
        return new CrossAttentionSpec(heads, config.crossAttentionDim(), config.normNumGroups(),
                config.useLinearProjection());
    }

    public UNet2DConditionConfig config() {
        return config;
    }

    /**
     * @param sample (B, C, h, w) noisy latents
     * @param timesteps scalar, (1) or (B) timesteps
     * @param context (B, L, cross_attention_dim) encoder hidden states
     * @return (B, out_channels, h, w) model output
     */
    public NDArray forward(NDArray sample, NDArray timesteps, NDArray context) {
        long batch = sample.getShape().get(0);
        NDArray t = timesteps.getShape().size() == batch && timesteps.getShape().dimension() == 1
                ? timesteps : timesteps.reshape(1).broadcast(new Shape(batch)); // (B)
        NDArray emb = timeEmbedding.forward(t); // (B, temb)
        NDArray h = config.centerInputSample() ? Scalars.mul(sample, 2).sub(1) : sample;
        h = convIn.forward(h);
        List<NDArray> skips = new ArrayList<>();
        skips.add(h);
        for (DownBlock2D block : downBlocks) {
            h = block.forward(h, emb, context, skips);
        }
        h = midBlock.forward(h, emb, context);
        for (UpBlock2D block : upBlocks) {
            h = block.forward(h, emb, context, skips);
        }
        h = config.actFn().apply(convNormOut.forward(h));
        return convOut.forward(h);
    }
}
