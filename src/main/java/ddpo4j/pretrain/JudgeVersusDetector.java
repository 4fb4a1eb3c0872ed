package ddpo4j.pretrain;

import ddpo4j.models.judge.JudgeConfig;
import ddpo4j.models.judge.ShapesJudge;
import ddpo4j.world.Detection;
import ddpo4j.world.NamedColor;
import ddpo4j.world.ShapeDetector;
import ddpo4j.world.ShapeGroup;
import ddpo4j.world.ShapeKind;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The judge and the gold pixel detector on the same test renders with known truth, clean and
 * passed through a diffusion model's VAE ({@link VaeRoundTrip}: images that look like that model's
 * samples). Prints a markdown table: the judge's {@link JudgeAccuracy} columns, then the
 * detector's count (first group) and all-pairs accuracy. Run:
 * {@code java -cp "target/ddpo4j.jar:target/lib/*" ddpo4j.pretrain.JudgeVersusDetector JUDGE_DIR SD_MODEL_DIR [n] [seed]}.
 */
public final class JudgeVersusDetector {
    private JudgeVersusDetector() {}

    /** The detector's count accuracy on the first group, and on all 12 pairs, over examples 0..n-1 of {@code seed}. */
    static JudgeAccuracy.Tally[] detector(JudgeExamples examples, JudgeConfig c, long seed, int n) {
        ShapeDetector detector = new ShapeDetector();
        JudgeAccuracy.Tally count = new JudgeAccuracy.Tally(0, 0);
        JudgeAccuracy.Tally allPairs = new JudgeAccuracy.Tally(0, 0);
        for (int i = 0; i < n; i++) {
            JudgeExamples.Example e = examples.example(seed, i);
            Detection d = detector.detect(e.image(), 0, c.imageSize(), c.imageSize());
            int[] truth = examples.counts(e.scene());
            boolean ok = true;
            for (NamedColor col : c.colors()) {
                for (ShapeKind k : c.kinds()) {
                    ok &= Math.min(c.maxCount(), d.count(col, k)) == truth[c.pairIndex(col, k)];
                }
            }
            allPairs = allPairs.add(ok);
            if (e.scene() != null) {
                ShapeGroup g = e.scene().spec().groups().get(0);
                count = count.add(d.count(g.color(), g.kind()) == g.count());
            }
        }
        return new JudgeAccuracy.Tally[] {count, allPairs};
    }

    public static void main(String[] args) {
        Path judgeDir = Path.of(args[0]);
        Path sdModel = Path.of(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        long seed = JudgeTraining.testSeed(args.length > 3 ? Long.parseLong(args[3]) : 0);
        try (ShapesJudge judge = ShapesJudge.load(judgeDir); VaeRoundTrip vae = new VaeRoundTrip(sdModel)) {
            JudgeConfig c = judge.config();
            Map<String, JudgeExamples> conditions = new LinkedHashMap<>();
            conditions.put("clean", JudgeExamples.test(c, ImageTransform.NONE));
            conditions.put("through the VAE of " + sdModel.getFileName(), JudgeExamples.test(c, vae));
            System.out.println("| test images | judge: count | judge: all 12 pair counts | judge: colour | judge: kind"
                    + " | judge: all questions | detector: count | detector: all 12 pair counts |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            conditions.forEach((name, examples) -> {
                JudgeAccuracy.Row r = JudgeAccuracy.measure(name, judge, examples, seed, n);
                JudgeAccuracy.Tally[] d = detector(examples, c, seed, n);
                System.out.println("| " + name + " | " + r.count() + " | " + r.allPairs() + " | " + r.color() + " | "
                        + r.kind() + " | " + r.allQuestions() + " | " + d[0] + " | " + d[1] + " |");
            });
        }
    }
}
