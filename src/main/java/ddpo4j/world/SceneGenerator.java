package ddpo4j.world;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded generator of the shapes world: draws what a scene holds ({@link #randomSpec}), places
 * its shapes without overlap ({@link #place}), renders it and writes a caption. Everything comes
 * from the {@link SplittableRandom} passed in, so example {@code k} of seed {@code s}
 * ({@link #sample(long, long)}) is the same on every machine and in any order.
 */
public final class SceneGenerator {
    private static final int PLACEMENT_TRIES = 200;
    private static final int LAYOUT_RESTARTS = 100;

    private final WorldConfig config;

    public SceneGenerator(WorldConfig config) {
        this.config = config;
    }

    public WorldConfig config() {
        return config;
    }

    /** Example {@code index} of the stream seeded by {@code seed}, independent of any other example. */
    public WorldSample sample(long seed, long index) {
        return sample(new SplittableRandom(mix(seed, index)));
    }

    /** A random scene, rendered, with a caption in a random variant (background named or not, "a" or "one"). */
    public WorldSample sample(SplittableRandom random) {
        Scene scene = place(randomSpec(random), random);
        return new WorldSample(SceneRenderer.render(scene, config.supersample()), scene, caption(scene, random));
    }

    /** A random caption variant of {@code scene}, with the probabilities of the config. */
    public String caption(Scene scene, SplittableRandom random) {
        boolean withBackground = random.nextDouble() < config.backgroundInCaption();
        boolean article = random.nextDouble() < config.articleForOne();
        return Captions.write(scene.spec().groups(), withBackground ? scene.background() : null, article);
    }

    /**
     * What a random scene holds: a background, a total of minShapes..maxShapes shapes split into
     * 1..maxGroups groups of distinct colour × kind, none of the background's colour.
     */
    public SceneSpec randomSpec(SplittableRandom random) {
        NamedColor background = pick(config.backgrounds(), random);
        List<ShapeGroup> pairs = new ArrayList<>();
        for (NamedColor c : config.colors()) {
            if (c != background) {
                for (ShapeKind k : config.kinds()) {
                    pairs.add(new ShapeGroup(1, c, k));
                }
            }
        }
        int total = config.minShapes() + random.nextInt(config.maxShapes() - config.minShapes() + 1);
        int groups = 1 + random.nextInt(Math.min(Math.min(config.maxGroups(), total), pairs.size()));
        int[] counts = split(total, groups, random);
        List<ShapeGroup> out = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            ShapeGroup pair = pairs.remove(random.nextInt(pairs.size()));
            out.add(new ShapeGroup(counts[g], pair.color(), pair.kind()));
        }
        return new SceneSpec(out, background);
    }

    /**
     * Places the shapes of {@code spec} at random: sizes uniform in [minSize, maxSize], boxes at least
     * {@link WorldConfig#gap()} apart and {@link WorldConfig#margin()} from the border. A spec
     * without a background gets a random one of the config's backgrounds not used by its shapes.
     */
    public Scene place(SceneSpec spec, SplittableRandom random) {
        NamedColor background = spec.background();
        if (background == null) {
            List<NamedColor> free = config.backgrounds().stream()
                    .filter(bg -> spec.groups().stream().noneMatch(g -> g.color() == bg)).toList();
            if (free.isEmpty()) {
                throw new IllegalArgumentException("no background of " + config.backgrounds() + " differs from the shapes' colours");
            }
            background = pick(free, random);
        }
        SceneSpec full = new SceneSpec(spec.groups(), background);
        for (int restart = 0; restart < LAYOUT_RESTARTS; restart++) {
            List<PlacedShape> placed = tryLayout(full, random);
            if (placed != null) {
                return new Scene(config.width(), config.height(), background, placed, full);
            }
        }
        throw new IllegalArgumentException("cannot fit " + full.totalShapes() + " shapes of " + config.minSize() + ".."
                + config.maxSize() + " px into " + config.width() + "x" + config.height());
    }

    private List<PlacedShape> tryLayout(SceneSpec spec, SplittableRandom random) {
        int lo = config.minSize();
        int hi = config.maxSize();
        int m = config.margin();
        List<PlacedShape> placed = new ArrayList<>();
        for (ShapeGroup g : spec.groups()) {
            for (int i = 0; i < g.count(); i++) {
                int size = lo + random.nextInt(hi - lo + 1);
                PlacedShape ok = null;
                for (int t = 0; t < PLACEMENT_TRIES && ok == null; t++) {
                    int x = m + random.nextInt(config.width() - 2 * m - size + 1);
                    int y = m + random.nextInt(config.height() - 2 * m - size + 1);
                    PlacedShape s = new PlacedShape(g.kind(), g.color(), x, y, size);
                    if (placed.stream().noneMatch(p -> p.closerThan(s, config.gap()))) {
                        ok = s;
                    }
                }
                if (ok == null) {
                    return null;
                }
                placed.add(ok);
            }
        }
        return placed;
    }

    /** {@code total} split into {@code parts} positive counts, each composition equally likely. */
    private static int[] split(int total, int parts, SplittableRandom random) {
        // choose parts-1 distinct cut points among 1..total-1
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < total; i++) {
            cuts.add(i);
        }
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < parts - 1; i++) {
            chosen.add(cuts.remove(random.nextInt(cuts.size())));
        }
        chosen.sort(null);
        int[] out = new int[parts];
        int prev = 0;
        for (int i = 0; i < parts - 1; i++) {
            out[i] = chosen.get(i) - prev;
            prev = chosen.get(i);
        }
        out[parts - 1] = total - prev;
        return out;
    }

    private static <T> T pick(List<T> list, SplittableRandom random) {
        return list.get(random.nextInt(list.size()));
    }

    /** A SplitMix64 mix of seed and index: the seed of example {@code index}. */
    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xD1B54A32D192ED03L + 0x2545F4914F6CDD1DL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
