package ddpo4j.bench;

import ddpo4j.io.BundledFiles;
import ddpo4j.models.judge.ShapesJudge;
import ddpo4j.pretrain.JudgeAugmentation;
import ddpo4j.pretrain.JudgeExamples;
import ddpo4j.pretrain.JudgeTraining;
import java.util.ArrayList;
import java.util.List;

/**
 * How fast the judge answers: milliseconds per 64 × 64 image for batches of a given size, after a
 * warm-up, on augmented test renders. Prints one JSON line. Run:
 * {@code java -cp "target/ddpo4j.jar:target/lib/*" ddpo4j.bench.JudgeThroughput [model] [batch] [batches]}.
 */
public final class JudgeThroughput {
    private JudgeThroughput() {}

    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "bundled:shapes-judge";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int batches = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        try (ShapesJudge judge = ShapesJudge.load(BundledFiles.folder(model, ShapesJudge.CONFIG,
                "./ddpo4j pretrain judge --out models/"))) {
            JudgeExamples examples = JudgeExamples.training(judge.config(), JudgeAugmentation.DEFAULT);
            List<float[]> images = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                images.add(examples.example(JudgeTraining.testSeed(0), i).image());
            }
            int s = judge.config().imageSize();
            for (int i = 0; i < 5; i++) {
                judge.answer(images, s, s);
            }
            long start = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                judge.answer(images, s, s);
            }
            double ms = (System.nanoTime() - start) / 1e6 / ((double) batch * batches);
            System.out.printf("{\"batch\": %d, \"batches\": %d, \"ms_per_image\": %.3f, \"images_per_s\": %.1f}%n", batch,
                    batches, ms, 1000 / ms);
        }
    }
}
