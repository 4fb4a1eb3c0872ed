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
 * <p>Encoder: a stride-2 3x3 stem (a 10 px shape still spans 5 positions after it), then
 * {@link JudgeEncoderBlock}s halving the resolution again, then the mean over positions. Small on
 * purpose: about 15 MFLOP per 64 × 64 image, because it is trained and run on two shared CPU cores. Counting through a spatial mean is the point: each position's
 * features can say "a red circle is centred here", and the mean of such local detections is
 * proportional to their number, which a flatten-and-classify head would have to learn per
 * position. The mean is followed by one linear layer and SiLU: the image embedding (public, for
 * heads trained later, e.g. an aesthetic MLP) which every answer head reads linearly.
 *
 * <p>Keys: {@code stem.*}, {@code stem_norm.*}, {@code blocks.N.{down,norm1,conv,norm2}.*},
 * {@code embed.*}, {@code count_head.*}, {@code color_head.*}, {@code kind_head.*},
 * {@code background_head.*}.
 */
public final class JudgeNet extends Module {
    private final JudgeConfig config;
    private final Conv2d stem;
    private final GroupNorm stemNorm;
    private final ModuleList<JudgeEncoderBlock> blocks;
    private final Linear embed;
    private final Linear countHead;
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
        this.countHead = child("count_head", new Linear(d, (long) config.pairs() * config.countClasses(), true));
        this.colorHead = child("color_head", new Linear(d, config.colors().size(), true));
        this.kindHead = child("kind_head", new Linear(d, config.kinds().size(), true));
        this.backgroundHead = child("background_head", new Linear(d, config.backgrounds().size(), true));
    }

    public JudgeConfig config() {
        return config;
    }

    /** The image embedding: (B, 3, H, W) RGB in [0, 1] → (B, embeddingDim). */
    public NDArray embedding(NDArray images) {
        NDArray h = Scalars.mul(images, 2.0).sub(1.0); // [0, 1] → [-1, 1]
        h = Functional.silu(stemNorm.forward(stem.forward(h)));
        for (JudgeEncoderBlock b : blocks) {
            h = b.forward(h);
        }
        long b = h.getShape().get(0);
        long c = h.getShape().get(1);
        NDArray pooled = h.reshape(b, c, -1).mean(new int[] {2}); // (B, C): mean of local detections
        return Functional.silu(embed.forward(pooled));
    }

    /** Every answer's logits for images (B, 3, H, W) in [0, 1]. */
    public JudgeOutputs forward(NDArray images) {
        NDArray e = embedding(images);
        long b = images.getShape().get(0);
        NDArray counts = countHead.forward(e).reshape(b, config.pairs(), config.countClasses()); // (B, P, K+1)
        return new JudgeOutputs(e, counts, colorHead.forward(e), kindHead.forward(e), backgroundHead.forward(e));
    }
}
