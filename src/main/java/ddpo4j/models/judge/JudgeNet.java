package ddpo4j.models.judge;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.Conv2d;
import ddpo4j.nn.GroupNorm;
import ddpo4j.nn.Linear;
import ddpo4j.nn.Module;
import ddpo4j.nn.ModuleList;
import ddpo4j.tensor.Functional;
import ddpo4j.tensor.Scalars;

/**
 * The learned judge of the shapes world: a small CNN that looks at a 64 × 64 image and answers
 * "how many &lt;colour&gt; &lt;kind&gt;s are there?" for every colour × kind, "what colour are the shapes?",
 * "what shape are they?" and "what colour is the background?".
 *
 * <p>It counts by detecting: for each colour × kind, a 1x1 convolution on the last feature map
 * (one cell per 8 × 8 pixels) gives the logit that a shape of that colour and kind has its centre
 * in the cell. Shapes are at least 13 px apart centre to centre, so a cell holds at most one centre,
 * and the count is the sum of the cells' Bernoulli variables ({@link CellCounts}). A first version
 * that read the counts from the pooled embedding (a softmax over 0..5 per colour × kind) answered
 * only 61 % of count questions on clean renders after the same training; see the model card.
 *
 * <p>Encoder: a stride-2 3x3 stem (a 10 px shape still spans 5 positions after it), then
 * {@link JudgeEncoderBlock}s halving the resolution again. The colour, kind and background heads
 * read the image embedding: the mean of the feature map over positions, one linear layer and SiLU
 * (public, for heads trained later, e.g. an aesthetic MLP). Small on purpose (about 60 MFLOP per
 * 64 × 64 image), because it is trained and run on two shared CPU cores.
 *
 * <p>Keys: {@code stem.*}, {@code stem_norm.*}, {@code blocks.N.{down,norm1,conv,norm2}.*},
 * {@code embed.*}, {@code center_head.*}, {@code color_head.*}, {@code kind_head.*},
 * {@code background_head.*}.
 */
public final class JudgeNet extends Module {
    private final JudgeConfig config;
    private final Conv2d stem;
    private final GroupNorm stemNorm;
    private final ModuleList<JudgeEncoderBlock> blocks;
    private final Linear embed;
    private final Conv2d centerHead;
    private final Linear colorHead;
    private final Linear kindHead;
    private final Linear backgroundHead;

    public JudgeNet(JudgeConfig config) {
        this.config = config;
        int groups = config.normNumGroups();
        this.stem = child("stem", new Conv2d(3, config.stemChannels(), 3, 2, 1)); // stride 2: 64 → 32 px
        this.stemNorm = child("stem_norm", new GroupNorm(groups, config.stemChannels(), 1e-5));
        this.blocks = child("blocks", new ModuleList<>());
        int in = config.stemChannels();
        for (int out : config.blockOutChannels()) {
            blocks.add(new JudgeEncoderBlock(in, out, groups));
            in = out;
        }
        int d = config.embeddingDim();
        this.embed = child("embed", new Linear(in, d, true));
        this.centerHead = child("center_head", Conv2d.same(in, config.pairs(), 1));
        this.colorHead = child("color_head", new Linear(d, config.colors().size(), true));
        this.kindHead = child("kind_head", new Linear(d, config.kinds().size(), true));
        this.backgroundHead = child("background_head", new Linear(d, config.backgrounds().size(), true));
    }

    public JudgeConfig config() {
        return config;
    }

    /** The last feature map: (B, 3, H, W) RGB in [0, 1] → (B, C, grid, grid). */
    private NDArray features(NDArray images) {
        NDArray h = Scalars.mul(images, 2.0).sub(1.0); // [0, 1] → [-1, 1]
        h = Functional.silu(stemNorm.forward(stem.forward(h)));
        for (JudgeEncoderBlock b : blocks) {
            h = b.forward(h);
        }
        return h;
    }

    /** The image embedding from the feature map: mean over positions, linear, SiLU → (B, embeddingDim). */
    private NDArray embedding(NDArray features, long b) {
        long c = features.getShape().get(1);
        NDArray pooled = features.reshape(b, c, -1).mean(new int[] {2}); // (B, C)
        return Functional.silu(embed.forward(pooled));
    }

    /** The image embedding: (B, 3, H, W) RGB in [0, 1] → (B, embeddingDim). */
    public NDArray embedding(NDArray images) {
        return embedding(features(images), images.getShape().get(0));
    }

    /** Every answer's logits for images (B, 3, H, W) in [0, 1]. */
    public JudgeOutputs forward(NDArray images) {
        NDArray f = features(images);
        NDArray e = embedding(f, images.getShape().get(0));
        return new JudgeOutputs(e, centerHead.forward(f), colorHead.forward(e), kindHead.forward(e),
                backgroundHead.forward(e));
    }
}
