package ddpo4j.world;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measures the detector against generated ground truth: for {@code n} examples of a generator
 * (optionally degraded), how often the detected count of each colour × kind equals the drawn count.
 *
 * <p>Run: {@code java -cp "target/ddpo4j.jar:target/lib/*" ddpo4j.world.DetectorAccuracy [n] [blurSigma] [noiseStd] [seed] [supersample]}.
 */
public final class DetectorAccuracy {
    private DetectorAccuracy() {}

    /** Exact-count accuracies (fractions in [0, 1]) over {@code n} examples. */
    public record Result(int images, double imageExact, double colorKindExact, Map<String, Double> perColorKind,
            Map<String, Double> perColor, Map<String, Double> perKind, double kindAccuracy) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("images", images);
            m.put("image_exact", imageExact);
            m.put("color_kind_exact", colorKindExact);
            m.put("kind_accuracy", kindAccuracy);
            m.put("per_color_kind", perColorKind);
            m.put("per_color", perColor);
            m.put("per_kind", perKind);
            return m;
        }
    }

    /**
     * Generates examples {@code 0..n-1} of {@code seed}, degrades each with its own noise stream, and
     * compares:
     * <ul>
     *   <li>{@code imageExact}: every colour × kind count of the image right (no shape missed, split,
     *       merged, added or mis-kinded);
     *   <li>{@code perColorKind}: for each colour × kind, over the images that contain it, the
     *       fraction whose detected count equals the drawn count (what {@code count_alignment} asks);
     *   <li>{@code perColor} / {@code perKind}: the same for a colour (any kind) or a kind (any colour);
     *   <li>{@code kindAccuracy}: among detected shapes that match a drawn one by position (centroid
     *       inside its box) and colour, the fraction given the right kind.
     * </ul>
     */
    public static Result measure(SceneGenerator generator, ShapeDetector detector, Degradation degradation, int n,
            long seed) {
        WorldConfig cfg = generator.config();
        Map<String, int[]> pair = new LinkedHashMap<>();
        Map<String, int[]> color = new LinkedHashMap<>();
        Map<String, int[]> kind = new LinkedHashMap<>();
        int exactImages = 0;
        int pairsRight = 0;
        int pairsTotal = 0;
        int kindRight = 0;
        int kindTotal = 0;
        for (int i = 0; i < n; i++) {
            WorldSample s = generator.sample(seed, i);
            float[] img = degradation.apply(s.image(), s.height(), s.width(), new SplittableRandom(SceneGenerator.mix(~seed, i)));
            Detection d = detector.detect(img, s.height(), s.width());
            boolean allRight = true;
            Map<ShapeKind, int[]> kindTruth = new EnumMap<>(ShapeKind.class);
            for (NamedColor c : cfg.colors()) {
                int truthC = s.scene().count(c);
                if (truthC > 0) {
                    tally(color, c.word(), d.count(c) == truthC);
                }
                for (ShapeKind k : cfg.kinds()) {
                    int truth = s.scene().count(c, k);
                    int got = d.count(c, k);
                    allRight &= truth == got;
                    pairsTotal++;
                    pairsRight += truth == got ? 1 : 0;
                    if (truth > 0) {
                        tally(pair, c.word() + " " + k.plural(), truth == got);
                    }
                    kindTruth.computeIfAbsent(k, x -> new int[1])[0] += truth;
                }
            }
            allRight &= d.shapes().size() == s.scene().shapes().size(); // no shapes of colours outside the config
            for (var e : kindTruth.entrySet()) {
                if (e.getValue()[0] > 0) {
                    tally(kind, e.getKey().plural(), d.count(e.getKey()) == e.getValue()[0]);
                }
            }
            exactImages += allRight ? 1 : 0;
            for (DetectedShape ds : d.shapes()) {
                for (PlacedShape ps : s.scene().shapes()) {
                    if (ps.color() == ds.color() && ds.centerX() >= ps.x() && ds.centerX() < ps.x() + ps.size()
                            && ds.centerY() >= ps.y() && ds.centerY() < ps.y() + ps.size()) {
                        kindTotal++;
                        kindRight += ps.kind() == ds.kind() ? 1 : 0;
                        break;
                    }
                }
            }
        }
        return new Result(n, exactImages / (double) n, pairsRight / (double) Math.max(1, pairsTotal), rates(pair),
                rates(color), rates(kind), kindRight / (double) Math.max(1, kindTotal));
    }

    private static void tally(Map<String, int[]> m, String key, boolean right) {
        int[] a = m.computeIfAbsent(key, k -> new int[2]);
        a[0] += right ? 1 : 0;
        a[1]++;
    }

    private static Map<String, Double> rates(Map<String, int[]> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v[0] / (double) v[1]));
        return out;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        double blur = args.length > 1 ? Double.parseDouble(args[1]) : 0;
        double noise = args.length > 2 ? Double.parseDouble(args[2]) : 0;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 0;
        int supersample = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        long t0 = System.nanoTime();
        Result r = measure(new SceneGenerator(WorldConfig.DEFAULT.withSupersample(supersample)), new ShapeDetector(),
                new Degradation(blur, noise), n, seed);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", (System.nanoTime() - t0) / 1e9);
        m.put("supersample", supersample);
        m.put("blur_sigma", blur);
        m.put("noise_std", noise);
        m.putAll(r.toMap());
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
    }
}
