package ddpo4j.cli;

import ddpo4j.Ddpo4jException;
import ddpo4j.models.judge.JudgeConfig;
import ddpo4j.models.judge.ShapesJudge;
import ddpo4j.pretrain.JudgeAccuracy;
import ddpo4j.pretrain.JudgeRecipe;
import ddpo4j.pretrain.JudgeTraining;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ddpo4j pretrain judge}: trains the learned judge of the shapes world (the offline stand-in for LLaVA). */
@Command(name = "judge", mixinStandardHelpOptions = true,
        description = "Train the learned judge of the shapes world (a CNN answering count, colour, kind and background"
                + " questions); resumes from its checkpoint when --out holds one. See docs/rewards.md, \"judge\".")
public final class PretrainJudgeCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "models/shapes-judge", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--steps", defaultValue = "1200", description = "training steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch-size", defaultValue = "64", description = "images per step (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", defaultValue = "2e-3", description = "AdamW learning rate, a tenth in the last quarter"
            + " (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--weight-decay", defaultValue = "1e-4", description = "AdamW weight decay (default: ${DEFAULT-VALUE})")
    double weightDecay;

    @Option(names = "--checkpoint-every", defaultValue = "100", description = "steps between checkpoints"
            + " (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--test-images", defaultValue = "2000", description = "test images per condition for the model"
            + " card's accuracy table; 0 skips it (default: ${DEFAULT-VALUE})")
    int testImages;

    @Override
    public Integer call() {
        if (Files.exists(out.resolve(ShapesJudge.WEIGHTS))) {
            throw new Ddpo4jException("--out " + out + " already holds a judge; choose another folder or delete it");
        }
        if (steps < 1 || batchSize < 1 || checkpointEvery < 1 || testImages < 0) {
            throw new Ddpo4jException("--steps, --batch-size and --checkpoint-every must be >= 1, --test-images >= 0");
        }
        JudgeTraining.Settings settings = new JudgeTraining.Settings(steps, batchSize, lr, weightDecay, checkpointEvery,
                seed);
        String command = "pretrain judge " + String.join(" ", commandLine());
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("ddpo4j.command", command);
        provenance.put("ddpo4j.seed", Long.toString(seed));
        provenance.put("ddpo4j.settings", settings.toString());
        boolean resumed = Files.exists(out.resolve(JudgeRecipe.CHECKPOINT));
        PretrainProgress log = new PretrainProgress();
        JudgeRecipe.pretrain(JudgeConfig.DEFAULT, settings, out, provenance, log);
        double minutes = log.minutes();
        System.out.printf("trained the judge %s in %.1f minutes%s%n", out, minutes, resumed ? " (resumed)" : "");
        List<JudgeAccuracy.Row> rows = List.of();
        if (testImages > 0) {
            long evalStart = System.nanoTime();
            rows = JudgeRecipe.evaluate(out, seed, testImages);
            rows.forEach(r -> System.out.println(r));
            System.out.printf("evaluated in %.1f minutes%n", (System.nanoTime() - evalStart) / 60e9);
        }
        JudgeModelCard.write(out, command, settings, minutes, resumed, rows);
        return 0;
    }

    private String[] commandLine() {
        return new String[] {"--out", out.toString(), "--seed", Long.toString(seed), "--steps", Integer.toString(steps),
            "--batch-size", Integer.toString(batchSize), "--lr", Double.toString(lr), "--weight-decay",
            Double.toString(weightDecay)};
    }
}
