package ddpo4j.cli;

import ddpo4j.Ddpo4jException;
import ddpo4j.pretrain.CaptionedImages;
import ddpo4j.pretrain.DenoiserTraining;
import ddpo4j.pretrain.ShapesSdRecipe;
import ddpo4j.pretrain.ShapesWorldImages;
import ddpo4j.pretrain.VaeTraining;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ddpo4j pretrain}: trains the bundled tiny SD-architecture model on the shapes world from scratch. */
@Command(name = "pretrain", mixinStandardHelpOptions = true, subcommands = PretrainJudgeCommand.class,
        description = "Train the tiny SD-architecture base model from scratch (VAE, then text encoder + UNet).")
public final class PretrainCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "models/shapes-sd", description = "output model folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--vae-steps", defaultValue = "1000")
    int vaeSteps;

    @Option(names = "--vae-batch-size", defaultValue = "16")
    int vaeBatch;

    @Option(names = "--vae-lr", defaultValue = "1e-3")
    double vaeLr;

    @Option(names = "--kl-weight", defaultValue = "1e-4")
    double klWeight;

    @Option(names = "--dataset-size", defaultValue = "10000", description = "generated images encoded for phase 2")
    int datasetSize;

    @Option(names = "--unet-steps", defaultValue = "4000")
    int unetSteps;

    @Option(names = "--unet-batch-size", defaultValue = "64")
    int unetBatch;

    @Option(names = "--unet-lr", defaultValue = "1e-3")
    double unetLr;

    @Option(names = "--caption-dropout", defaultValue = "0.1")
    double captionDropout;

    @Option(names = "--image-size", defaultValue = "64")
    int imageSize;

    @Option(names = "--decoder-steps", defaultValue = "1000", description = "phase 3: decoder-only VAE steps")
    int decoderSteps;

    @Option(names = "--only-decoder", description = "run phase 3 alone on the existing --out folder")
    boolean onlyDecoder;

    /** The data source; the shapes world by default (tests substitute their own). */
    static IntFunction<CaptionedImages> data = ShapesWorldImages::new;

    @Override
    public Integer call() throws Exception {
        if (!onlyDecoder && Files.exists(out.resolve("model_index.json"))) {
            throw new Ddpo4jException("--out " + out + " already holds a model; choose another folder or delete it");
        }
        Files.createDirectories(out);
        ShapesSdRecipe.Settings settings = new ShapesSdRecipe.Settings(seed,
                new VaeTraining.Settings(vaeSteps, vaeBatch, vaeLr, klWeight, seed),
                new DenoiserTraining.Settings(datasetSize, unetSteps, unetBatch, unetLr, captionDropout, seed),
                new VaeTraining.Settings(decoderSteps, vaeBatch, vaeLr, klWeight, seed + 5));
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("ddpo4j.command", "pretrain " + String.join(" ", commandLine()));
        provenance.put("ddpo4j.seed", Long.toString(seed));
        provenance.put("ddpo4j.settings", settings.toString());
        PretrainProgress log = new PretrainProgress();
        if (onlyDecoder) {
            ShapesSdRecipe.refineDecoder(data.apply(imageSize), settings, out, provenance, log);
            System.out.printf("refined the decoder of %s in %.1f minutes%n", out, log.minutes());
            return 0;
        }
        ShapesSdRecipe.pretrain(data.apply(imageSize), settings, out, provenance, log);
        double minutes = log.minutes();
        System.out.printf("pretrained %s in %.1f minutes%n", out, minutes);
        ModelCard.write(out, settings, commandLine(), minutes);
        return 0;
    }

    private String[] commandLine() {
        return new String[] {"--out", out.toString(), "--seed", Long.toString(seed), "--vae-steps",
            Integer.toString(vaeSteps), "--vae-batch-size", Integer.toString(vaeBatch), "--vae-lr", Double.toString(vaeLr),
            "--kl-weight", Double.toString(klWeight), "--dataset-size", Integer.toString(datasetSize), "--unet-steps",
            Integer.toString(unetSteps), "--unet-batch-size", Integer.toString(unetBatch), "--unet-lr",
            Double.toString(unetLr), "--caption-dropout", Double.toString(captionDropout), "--image-size",
            Integer.toString(imageSize), "--decoder-steps", Integer.toString(decoderSteps)};
    }
}
