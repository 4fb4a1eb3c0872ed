package ddpo4j.pretrain;

import ddpo4j.world.CountWords;
import ddpo4j.world.NamedColor;
import ddpo4j.world.SceneGenerator;
import ddpo4j.world.ShapeKind;
import ddpo4j.world.WorldConfig;
import ddpo4j.world.WorldSample;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The shapes world as pretraining data: generated scenes and their captions (all colour x kind combinations). */
public final class ShapesWorldImages implements CaptionedImages {
    private final SceneGenerator generator;

    public ShapesWorldImages(int size) {
        this(WorldConfig.DEFAULT.withSize(size, size));
    }

    /** Images of any world config (e.g. anti-aliased: {@code withSupersample(4)}); square images only. */
    public ShapesWorldImages(WorldConfig world) {
        if (world.width() != world.height()) {
            throw new IllegalArgumentException("pretraining needs square images, got " + world.width() + "x" + world.height());
        }
        this.generator = new SceneGenerator(world);
    }

    @Override
    public Example next(SplittableRandom random) {
        WorldSample s = generator.sample(random);
        return new Example(s.image(), s.caption());
    }

    @Override
    public int size() {
        return generator.config().width();
    }

    @Override
    public String describe() {
        return "shapes world " + generator.config();
    }

    @Override
    public List<String> vocabulary() {
        List<String> words = new ArrayList<>(List.of("a", "an", "and", "on", "background"));
        for (int n = 1; n <= 10; n++) {
            words.add(CountWords.word(n, false));
        }
        for (NamedColor c : NamedColor.values()) {
            words.add(c.word());
        }
        for (ShapeKind k : ShapeKind.values()) {
            words.add(k.word());
            words.add(k.plural());
        }
        return words;
    }
}
