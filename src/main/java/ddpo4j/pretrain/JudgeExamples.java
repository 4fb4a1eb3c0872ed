package ddpo4j.pretrain;

import ddpo4j.models.judge.JudgeConfig;
import ddpo4j.world.NamedColor;
import ddpo4j.world.PlacedShape;
import ddpo4j.world.Scene;
import ddpo4j.world.SceneGenerator;
import ddpo4j.world.SceneRenderer;
import ddpo4j.world.ShapeKind;
import ddpo4j.world.WorldConfig;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training and test examples for the judge: generated scenes of the shapes world (half with one
 * colour × kind group as the counting prompts describe, half with up to three groups, so that
 * "how many red circles?" is also asked of images holding other shapes; 5 % empty backgrounds, 30 %
 * anti-aliased), with the answers to every question as targets. Example {@code index} of
 * {@code seed} depends on nothing else.
 */
public final class JudgeExamples {
    private static final double EMPTY = 0.05;
    private static final double MIXED = 0.5;
    private static final double ANTI_ALIASED = 0.3;

    /** One example: the image, its scene (null for an empty background) and that background. */
    public record Example(float[] image, Scene scene, NamedColor background) {}

    /**
     * Examples as the network's inputs and targets, rows in order: images (B, 3, S, S), centres
     * (B, pairs, grid, grid: 1 in the cell holding a shape's centre), colour, kind (uniform over
     * ties; all zero for an empty image, which asks neither) and background one-hot.
     */
    public record Batch(int size, float[] images, float[] centers, float[] colors, float[] kinds, float[] backgrounds) {}

    private final JudgeConfig config;
    private final ImageTransform augmentation;
    private final JudgeAugmentation shift;
    private final SceneGenerator[] generators; // [mixed ? 1 : 0][antiAliased ? 1 : 0]

    /** Examples with the judge's training augmentation: the scene shifted, the pixels changed. */
    public static JudgeExamples training(JudgeConfig config, JudgeAugmentation augmentation) {
        return new JudgeExamples(config, augmentation, augmentation);
    }

    /** Examples rendered in place, then changed by {@code transform} (e.g. a fixed degradation). */
    public static JudgeExamples test(JudgeConfig config, ImageTransform transform) {
        return new JudgeExamples(config, transform, JudgeAugmentation.NONE);
    }

    private JudgeExamples(JudgeConfig config, ImageTransform augmentation, JudgeAugmentation shift) {
        this.config = config;
        this.augmentation = augmentation;
        this.shift = shift;
        WorldConfig base = new WorldConfig(config.imageSize(), config.imageSize(), 1, config.maxCount(), 1,
                config.colors(), config.kinds(), config.backgrounds(), WorldConfig.DEFAULT.minSizeFraction(),
                WorldConfig.DEFAULT.maxSizeFraction(), 0.5, 0.5, 1);
        WorldConfig mixed = base.withShapes(1, config.maxCount(), 3);
        this.generators = new SceneGenerator[] {new SceneGenerator(base), new SceneGenerator(base.withSupersample(3)),
            new SceneGenerator(mixed), new SceneGenerator(mixed.withSupersample(3))};
    }

    /** Example {@code index} of the stream {@code seed}: the scene drawn, rendered and augmented. */
    public Example example(long seed, long index) {
        SplittableRandom r = new SplittableRandom(mix(seed, index));
        int s = config.imageSize();
        if (r.nextDouble() < EMPTY) {
            NamedColor bg = config.backgrounds().get(r.nextInt(config.backgrounds().size()));
            float[] img = new float[3 * s * s];
            for (int c = 0; c < 3; c++) {
                Arrays.fill(img, c * s * s, (c + 1) * s * s, bg.channel(c));
            }
            return new Example(augmentation.apply(img, s, s, r), null, bg);
        }
        int g = (r.nextDouble() < MIXED ? 2 : 0) + (r.nextDouble() < ANTI_ALIASED ? 1 : 0);
        SceneGenerator gen = generators[g];
        Scene scene = shift.shift(gen.place(gen.randomSpec(r), r), r);
        float[] img = SceneRenderer.render(scene, g % 2 == 1 ? 3 : 1);
        return new Example(augmentation.apply(img, s, s, r), scene, scene.background());
    }

    /** Examples {@code first .. first + size - 1} of {@code seed} as one batch. */
    public Batch batch(long seed, long first, int size) {
        int s = config.imageSize();
        int per = 3 * s * s;
        int g = config.grid();
        int cell = s / g;
        float[] images = new float[size * per];
        float[] centers = new float[size * config.pairs() * g * g];
        float[] colors = new float[size * config.colors().size()];
        float[] kinds = new float[size * config.kinds().size()];
        float[] backgrounds = new float[size * config.backgrounds().size()];
        for (int i = 0; i < size; i++) {
            Example e = example(seed, first + i);
            System.arraycopy(e.image(), 0, images, i * per, per);
            backgrounds[i * config.backgrounds().size() + config.backgrounds().indexOf(e.background())] = 1;
            if (e.scene() != null) {
                for (PlacedShape sh : e.scene().shapes()) {
                    int p = config.pairIndex(sh.color(), sh.kind());
                    int cx = Math.min(g - 1, Math.max(0, (int) Math.floor(sh.centerX() / cell)));
                    int cy = Math.min(g - 1, Math.max(0, (int) Math.floor(sh.centerY() / cell)));
                    centers[((i * config.pairs() + p) * g + cy) * g + cx] = 1;
                }
                mostCommon(e.scene(), config.colors(), null, colors, i);
                mostCommon(e.scene(), null, config.kinds(), kinds, i);
            }
        }
        return new Batch(size, images, centers, colors, kinds, backgrounds);
    }

    /** Shapes per (colour, kind) pair in head order, capped at maxCount; all 0 for an empty image. */
    public int[] counts(Scene scene) {
        int[] out = new int[config.pairs()];
        if (scene != null) {
            for (NamedColor c : config.colors()) {
                for (ShapeKind kind : config.kinds()) {
                    out[config.pairIndex(c, kind)] = Math.min(config.maxCount(), scene.count(c, kind));
                }
            }
        }
        return out;
    }

    /** Writes into row {@code row} of {@code target} a uniform distribution over the colours (or kinds) most shapes have. */
    private static void mostCommon(Scene scene, List<NamedColor> colors, List<ShapeKind> kinds, float[] target, int row) {
        int n = colors != null ? colors.size() : kinds.size();
        int[] tally = new int[n];
        scene.shapes().forEach(sh -> {
            int i = colors != null ? colors.indexOf(sh.color()) : kinds.indexOf(sh.kind());
            if (i >= 0) {
                tally[i]++;
            }
        });
        int best = Arrays.stream(tally).max().orElse(0);
        long ties = Arrays.stream(tally).filter(t -> t == best).count();
        for (int i = 0; i < n; i++) {
            target[row * n + i] = best > 0 && tally[i] == best ? 1f / ties : 0f;
        }
    }

    /** A SplitMix64 mix of seed and index, so nearby indices give unrelated streams. */
    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xD1B54A32D192ED03L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
