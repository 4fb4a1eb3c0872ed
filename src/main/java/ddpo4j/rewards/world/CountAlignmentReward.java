package ddpo4j.rewards.world;

import ddpo4j.rewards.PerSampleReward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.RewardFactory;
import ddpo4j.rewards.RewardOptions;
import ddpo4j.rewards.ScoredBatch;
import ddpo4j.world.CaptionParser;
import ddpo4j.world.Detection;
import ddpo4j.world.DetectorConfig;
import ddpo4j.world.NamedColor;
import ddpo4j.world.SceneSpec;
import ddpo4j.world.ShapeDetector;
import ddpo4j.world.ShapeGroup;
import ddpo4j.world.ShapeKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code count_alignment}: does the image show as many shapes of the prompt's colour and kind as
 * the prompt asks for? The shapes world's {@link ShapeDetector} counts them from pixels, so this is
 * the paper's strict VLM satisfaction ("How many red circles are in this image?" → 3) with an exact,
 * local judge.
 *
 * <p>What is asked comes from the prompt's metadata ({@code count}, {@code color}, {@code shape} or
 * {@code noun}, as the counting prompts carry) or, without it, from the prompt text in the world's
 * caption grammar ("three red circles", "a blue square and two green triangles on a white
 * background"). A prompt naming several groups scores the mean over its groups.
 *
 * <ul>
 *   <li>{@code mode=strict} (default): 1 when the detected count equals the expected count, else 0.
 *   <li>{@code mode=graded}: {@code max(0, 1 − |detected − expected| / max(expected, 1))}: one shape off of
 *       four scores 0.75, of one scores 0; a reward with partial credit, so a policy drawing two
 *       circles for "three" is told it is closer than one drawing none. It equals strict whenever
 *       the count is exact or off by at least the expected count.
 * </ul>
 *
 * Option {@code check} picks what is judged: {@code all} (default: count of the asked colour and
 * kind), {@code count} (count of the asked colour, any kind), {@code color} (1 when shapes are
 * found and all have the asked colour) or {@code kind} (1 when shapes are found and all have the
 * asked kind); the model card reports the last three as count, colour and kind accuracy. Options {@code tolerance} (colour distance, 0–255 units, default 100) and {@code min_area}
 * (fraction of the image, default 0.005) are the detector's ({@link DetectorConfig}).
 */
public final class CountAlignmentReward implements PerSampleReward {
    public static final String NAME = "count_alignment";

    private final boolean graded;
    private final String check;
    private final ShapeDetector detector;

    public CountAlignmentReward(boolean graded, DetectorConfig detector) {
        this(graded, "all", detector);
    }

    public CountAlignmentReward(boolean graded, String check, DetectorConfig detector) {
        this.graded = graded;
        this.check = check;
        this.detector = new ShapeDetector(detector);
    }

    /** Registry factory: options mode, tolerance, min_area. */
    public static RewardFactory factory() {
        return RewardFactory.of(Set.of("mode", "check", "tolerance", "min_area"), CountAlignmentReward::fromOptions);
    }

    public static CountAlignmentReward fromOptions(RewardOptions o) {
        boolean graded = o.choice("mode", "strict", "strict", "graded").equals("graded");
        String check = o.choice("check", "all", "all", "count", "color", "kind");
        double tolerance = o.doubleValue("tolerance", DetectorConfig.DEFAULT.tolerance(), 1);
        double minArea = o.doubleValue("min_area", DetectorConfig.DEFAULT.minAreaFraction(), 0);
        o.checkNoUnknown();
        try {
            return new CountAlignmentReward(graded, check, DetectorConfig.DEFAULT.withTolerance(tolerance).withMinAreaFraction(minArea));
        } catch (IllegalArgumentException e) {
            throw o.error(e.getMessage());
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletableFuture<ScoredBatch> scoreSamples(RewardBatch batch) {
        // pixel work off the caller's thread, so the trainer goes on sampling meanwhile
        return CompletableFuture.supplyAsync(() -> scoreNow(batch));
    }

    /** Scores {@code batch} on the calling thread; a sample whose prompt asks nothing countable fails alone. */
    public ScoredBatch scoreNow(RewardBatch batch) {
        ScoredBatch.Builder out = new ScoredBatch.Builder(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            List<Ask> asked;
            try {
                asked = expected(batch.prompts().get(i), batch.metadata().get(i));
            } catch (RewardException e) {
                out.fail(i, new RewardException("reward '" + NAME + "': sample " + i + ": " + e.getMessage()));
                continue;
            }
            Detection d = detector.detect(batch.images().get(i), 0, batch.height(), batch.width());
            double sum = 0;
            List<Integer> exp = new ArrayList<>();
            List<Integer> got = new ArrayList<>();
            for (Ask g : asked) {
                if (check.equals("color") || check.equals("kind")) {
                    // an ask that leaves the colour (kind) open is satisfied by any shape found
                    boolean ok = !d.shapes().isEmpty() && d.shapes().stream().allMatch(x -> check.equals("color")
                            ? g.color() == null || x.color() == g.color() : g.kind() == null || x.kind() == g.kind());
                    sum += ok ? 1 : 0;
                    exp.add(g.count());
                    got.add(d.shapes().size());
                    continue;
                }
                int detected = check.equals("count") && g.color() != null ? d.count(g.color()) : count(d, g);
                sum += score(detected, g.count());
                exp.add(g.count());
                got.add(detected);
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("expected", exp.size() == 1 ? exp.get(0) : exp);
            info.put("detected", got.size() == 1 ? got.get(0) : got);
            info.put("asked", asked.stream().map(CountAlignmentReward::describe).toList());
            info.put("background", d.background().word());
            info.put("shapes", d.shapes().size());
            out.score(i, sum / asked.size(), info);
        }
        return out.build();
    }

    /** The score of one group: strict 0/1, or graded partial credit. */
    public double score(int detected, int expected) {
        if (!graded) {
            return detected == expected ? 1 : 0;
        }
        return Math.max(0, 1 - Math.abs(detected - expected) / (double) Math.max(expected, 1));
    }

    /** An ask whose colour or kind is null counts any colour or any kind. */
    private static int count(Detection d, Ask g) {
        return g.color() == null ? d.count(g.kind()) : g.kind() == null ? d.count(g.color()) : d.count(g.color(), g.kind());
    }

    private static String describe(Ask g) {
        return (g.color() == null ? "" : g.color().word() + " ") + (g.kind() == null ? "shapes" : g.kind().plural());
    }

    /**
     * What a sample asks: from metadata (count + color and/or shape/noun), else from the prompt text.
     * Public so that other judges of the world (the learned judge) ask exactly the same questions.
     */
    public static List<Ask> expected(String prompt, Map<String, Object> metadata) {
        if (metadata != null && metadata.get("count") != null) {
            Object countValue = metadata.get("count");
            int count;
            try {
                count = countValue instanceof Number n ? n.intValue() : Integer.parseInt(countValue.toString().strip());
            } catch (NumberFormatException e) {
                throw new RewardException("metadata count " + countValue + " is not a whole number");
            }
            Object colorValue = metadata.get("color");
            Object shapeValue = metadata.get("shape") != null ? metadata.get("shape") : metadata.get("noun");
            NamedColor color = null;
            ShapeKind kind = null;
            if (colorValue != null) {
                color = NamedColor.fromWord(colorValue.toString()).orElseThrow(() -> new RewardException(
                        "metadata color \"" + colorValue + "\" is not a colour of the shapes world"));
            }
            if (shapeValue != null) {
                kind = ShapeKind.fromWord(shapeValue.toString()).orElseThrow(() -> new RewardException(
                        "metadata shape \"" + shapeValue + "\" is not circle, square or triangle"));
            }
            if (color == null && kind == null) {
                throw new RewardException("metadata has a count but neither color nor shape: " + metadata);
            }
            if (count < 0) {
                throw new RewardException("metadata count " + count + " is negative");
            }
            return List.of(new Ask(count, color, kind));
        }
        Optional<SceneSpec> spec = CaptionParser.parse(prompt == null ? "" : prompt);
        if (spec.isEmpty()) {
            throw new RewardException("prompt \"" + prompt + "\" is not a counting prompt of the shapes world (e.g. \"three"
                    + " red circles\") and its metadata has no count/color/shape");
        }
        return spec.get().groups().stream().map(Ask::of).toList();
    }

    /** One count a prompt asks for; a null colour or kind means any (metadata may leave one open). */
    public record Ask(int count, NamedColor color, ShapeKind kind) {
        static Ask of(ShapeGroup g) {
            return new Ask(g.count(), g.color(), g.kind());
        }
    }
}
