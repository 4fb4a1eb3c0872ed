package ddpo4j.cli;

import ddpo4j.models.judge.JudgeConfig;
import ddpo4j.pretrain.JudgeAccuracy;
import ddpo4j.pretrain.JudgeTraining;
import ddpo4j.pretrain.ModelFolderWriter;
import java.nio.file.Path;
import java.util.List;

/** Writes the judge's model card ({@code README.md}): recipe, wall time and the measured accuracy table. */
final class JudgeModelCard {
    private JudgeModelCard() {}

    static void write(Path out, String command, JudgeTraining.Settings s, double minutes, boolean resumed,
            List<JudgeAccuracy.Row> rows) {
        StringBuilder table = new StringBuilder(rows.isEmpty() ? "(not measured: --test-images 0)\n" : """
                | test images | count | all 12 pair counts | colour | kind | background | all questions |
                |---|---|---|---|---|---|---|
                """);
        for (JudgeAccuracy.Row r : rows) {
            table.append("| ").append(r.images()).append(" | ").append(r.count()).append(" | ").append(r.allPairs())
                    .append(" | ").append(r.color()).append(" | ").append(r.kind()).append(" | ").append(r.background())
                    .append(" | ").append(r.allQuestions()).append(" |\n");
        }
        String card = """
                # shapes-judge: a learned judge of the shapes world

                A small CNN (ddpo4j `models.judge.JudgeNet`) that answers questions about a 64x64 image of the
                shapes world: how many shapes of each colour and kind (0-%d, the last meaning "%d or more"),
                what colour most shapes have, what kind, and the background colour. It is the offline
                stand-in for LLaVA in the rewards `judge:mode=strict` and `judge:mode=describe`
                (docs/rewards.md): learned and fallible; the pixel detector (`count_alignment`) stays the
                gold measure. Weights: float32 `model.safetensors`, architecture in `config.json`.

                ## How it was made

                    ./ddpo4j %s

                - settings: %s
                - wall time: %.1f minutes of training on a 2-core CPU machine shared with other work%s
                - libtorch intra-op threads: %s
                - deterministic given the seed and the thread count (a checkpoint every %d steps; a resumed
                  run computes the same weights)

                ## Accuracy on generated test images

                A test stream of the generator the judge never trained on (half one-group scenes like the
                counting prompts, half with up to three colour x kind groups, 5 %% empty, 30 %% anti-aliased);
                mean +- binomial standard error. *count*: "how many <colour> <kind>s?" for the scene's first
                group; *all 12 pair counts*: every colour x kind count right, zeros included; *colour* /
                *kind*: what most shapes are, on images where that is unique; *all questions*: count, colour
                and kind all right.

                %s
                """.formatted(JudgeConfig.DEFAULT.maxCount(), JudgeConfig.DEFAULT.maxCount(), command, s, minutes,
                resumed ? " (resumed from a checkpoint)" : "", threads(), s.checkpointEvery(), table);
        ModelFolderWriter.writeText(out.resolve("README.md"), card);
    }

    /** The thread setting the weights depend on (bit-identical results need the same one). */
    private static String threads() {
        String omp = System.getenv("OMP_NUM_THREADS");
        return omp == null ? "libtorch's default (one per core)" : omp + " (OMP_NUM_THREADS)";
    }
}
