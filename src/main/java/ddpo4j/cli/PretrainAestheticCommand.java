package ddpo4j.cli;

import ddpo4j.Ddpo4jException;
import ddpo4j.io.AtomicFile;
import ddpo4j.pretrain.AestheticRecipe;
import ddpo4j.pretrain.AestheticTraining;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ddpo4j pretrain aesthetic}: fits the aesthetic analog (the paper's LAION predictor's stand-in). */
@Command(name = "aesthetic", mixinStandardHelpOptions = true,
        description = "Fit the aesthetic analog: a LAION-style head on the judge's image embedding, regressed onto a"
                + " fixed preference rule (preference_rule) of generated images. See docs/rewards.md, \"shapes_aesthetic\".")
public final class PretrainAestheticCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "models/shapes-aesthetic", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--judge", defaultValue = "models/shapes-judge", description = "the judge whose embedding it reads"
            + " (default: ${DEFAULT-VALUE})")
    Path judge;

    @Option(names = "--seed", defaultValue = "0", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--images", defaultValue = "4096", description = "training images (default: ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--test-images", defaultValue = "1024", description = "held-out images per condition"
            + " (default: ${DEFAULT-VALUE})")
    int testImages;

    @Option(names = "--steps", defaultValue = "3000", description = "full-batch AdamW steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--lr", defaultValue = "1e-2", description = "AdamW learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Override
    public Integer call() {
        if (images < 2 || testImages < 2 || steps < 1 || !(lr > 0)) {
            throw new Ddpo4jException("--images and --test-images must be >= 2, --steps >= 1, --lr > 0");
        }
        AestheticTraining.Settings s = new AestheticTraining.Settings(images, testImages, steps, lr, seed);
        String command = String.format(Locale.ROOT, "pretrain aesthetic --out %s --judge %s --seed %d --images %d"
                + " --test-images %d --steps %d --lr %s", out, judge, seed, images, testImages, steps, lr);
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("ddpo4j.command", command);
        provenance.put("ddpo4j.settings", s.toString());
        PretrainProgress log = new PretrainProgress();
        List<AestheticTraining.Agreement> rows = AestheticRecipe.pretrain(judge, out, s, provenance, log);
        double minutes = log.minutes();
        StringBuilder table = new StringBuilder("| held-out images | n | Pearson r | RMSE | rule mean ± sd |\n|---|---|---|---|---|\n");
        for (AestheticTraining.Agreement a : rows) {
            table.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.2f ± %.2f |%n", a.condition(), a.n(),
                    a.pearson(), a.rmse(), a.ruleMean(), a.ruleStd()));
        }
        System.out.print(table);
        AtomicFile.write(out.resolve("README.md"), card(command, s, minutes, table.toString()).getBytes(StandardCharsets.UTF_8));
        System.out.printf("fitted the aesthetic analog %s in %.1f minutes%n", out, minutes);
        return 0;
    }

    private static String card(String command, AestheticTraining.Settings s, double minutes, String table) {
        return """
                # shapes-aesthetic: the aesthetic analog of the shapes world

                The stand-in for LAION's aesthetic predictor in ddpo4j's replay of Black et al. (2023), finding
                (c). LAION's predictor is a stack of linear layers on CLIP image embeddings, regressed onto
                human ratings; this one is the same form (Linear(128, 64), Linear(64, 16), Linear(16, 1), no
                activation, keys `layers.N`) on the image embedding of the shapes judge (`config.json` names
                it, relative to this folder), regressed onto a fixed, documented preference: `preference_rule`
                (`ddpo4j.world.PreferenceRule`), 10 x (0.6 x contrast + 0.4 x presence), where contrast is the
                luma difference of the mean foreground colour and the background (the border's median) and
                presence the foreground fraction over 0.3, capped at 1. The rule can be computed exactly on any
                image, so it is the gold measure beside this learned proxy (reward `shapes_aesthetic`).

                ## How it was made

                    ./ddpo4j %s

                - settings: %s (images from the judge's training stream, with its augmentation)
                - wall time: %.1f minutes on a 2-core CPU machine shared with other work
                - deterministic given the seed and the thread count

                ## Agreement with the rule on held-out images

                %s
                """.formatted(command, s, minutes, table);
    }
}
