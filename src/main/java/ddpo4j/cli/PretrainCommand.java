package ddpo4j.cli;

import ddpo4j.Ddpo4jException;
import ddpo4j.io.WallClock;
import ddpo4j.pretrain.CaptionedImages;
import ddpo4j.pretrain.DenoiserTraining;
import ddpo4j.pretrain.RecipeChain;
import ddpo4j.pretrain.RecipePreset;
import ddpo4j.pretrain.ShapesSdRecipe;
import ddpo4j.pretrain.ShapesWorldImages;
import ddpo4j.pretrain.VaeTraining;
import ddpo4j.world.WorldConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ddpo4j pretrain}: trains the bundled tiny SD-architecture model on the shapes world from scratch. */
@Command(name = "pretrain", mixinStandardHelpOptions = true, subcommands = {PretrainJudgeCommand.class, PretrainAestheticCommand.class},
        description = "Train the tiny SD-architecture base model from scratch (VAE, then text encoder + UNet).")
public final class PretrainCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "models/shapes-sd", description = "output model folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--recipe", defaultValue = "v7",
            description = "v1 (the first bundled model) to v7 (the bundled models/shapes-sd: v7 and v6 build on earlier"
                    + " stages, so they need --chain or --unet-init; docs/shapes-world.md); sets every default below (default: ${DEFAULT-VALUE})")
    String recipe;

    @Option(names = "--seed", defaultValue = "0", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--vae-steps", description = "phase 1 steps (v1: 1000)")
    Integer vaeSteps;

    @Option(names = "--vae-batch-size", description = "VAE batch size (v1: 16)")
    Integer vaeBatch;

    @Option(names = "--vae-lr", description = "VAE learning rate (v1: 1e-3)")
    Double vaeLr;

    @Option(names = "--kl-weight", description = "VAE KL weight (v1: 1e-4)")
    Double klWeight;

    @Option(names = "--vae-crop", description = "0: train the VAE on whole images, else on random crops of this side (v1: 0)")
    Integer vaeCrop;

    @Option(names = "--dataset-size", description = "generated images encoded for phase 2 (v1: 10000)")
    Integer datasetSize;

    @Option(names = "--unet-steps", description = "phase 2 steps (v1: 4000)")
    Integer unetSteps;

    @Option(names = "--unet-batch-size", description = "phase 2 batch size (v1: 64)")
    Integer unetBatch;

    @Option(names = "--unet-lr", description = "phase 2 learning rate (v1: 1e-3)")
    Double unetLr;

    @Option(names = "--unet-cool-down", description = "phase 2: the learning rate decays (cosine) to 0 over this many last steps (v1: 0)")
    Integer unetCoolDown;

    @Option(names = "--zero-terminal-snr", arity = "1", description = "true: betas rescaled to zero terminal SNR, v-prediction,"
            + " trailing timesteps; false: SD's schedule and epsilon prediction (v1: false)")
    Boolean zeroTerminalSnr;

    @Option(names = "--unet-init", description = "phase 2 starts from this model folder's UNet and text encoder (same"
            + " VAE, tokenizer and architecture) instead of random weights: a fine-tune (v6: the v3 folder)")
    Path unetInit;

    @Option(names = "--caption-dropout", description = "fraction of empty captions in phase 2 (v1: 0.1)")
    Double captionDropout;

    @Option(names = "--ema-decay", description = "0: ship the last UNet/text weights, else their EMA (v1: 0)")
    Double emaDecay;

    @Option(names = "--image-size", defaultValue = "64")
    int imageSize;

    @Option(names = "--decoder-steps", description = "phase 3: decoder-only VAE steps (v1: 1000)")
    Integer decoderSteps;

    @Option(names = "--only-decoder", description = "run phase 3 alone on the existing --out folder")
    boolean onlyDecoder;

    @Option(names = "--checkpoint-dir", description = "keep resumable state here; rerunning the same command"
            + " continues from it (bit-identical to an uninterrupted run at the same thread count)")
    Path checkpointDir;

    @Option(names = "--checkpoint-every", defaultValue = "200", description = "steps between checkpoints (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--unet-stop-at", defaultValue = "0", description = "end phase 2 after this many steps of its"
            + " schedule, shipping the model a full run has at that step (0: all; default: ${DEFAULT-VALUE})")
    int unetStopAt;

    @Option(names = "--chain", description = "also make the models the recipe builds on (v6: v3 at step 10000;"
            + " v7: that, then v6), each the next one's --unet-init, in --checkpoint-dir; rerun to continue")
    boolean chain;

    @Option(names = "--snapshot-every", defaultValue = "0", description = "also keep a copy of each phase's"
            + " checkpoint every this many steps, to compare lengths of training (default: ${DEFAULT-VALUE}: none)")
    int snapshotEvery;

    /** The recipe's stages for --chain ({@link RecipeChain}; tests substitute tiny ones). */
    static Function<RecipePreset, List<RecipeChain.Stage>> chains = RecipeChain::of;

    /** The recipe itself when a chain runs it (else looked up by --recipe). */
    private RecipePreset resolved;

    /** In a chain's last stage: the chain's command and its earlier stages' minutes, for the card. */
    private String[] chainCommand;
    private double chainMinutesBefore;

    /** The data source; the shapes world by default (tests substitute their own). */
    static Function<WorldConfig, CaptionedImages> data = ShapesWorldImages::new;

    @Override
    public Integer call() throws Exception {
        RecipePreset preset = resolved != null ? resolved : RecipePreset.named(recipe);
        if (chain) {
            return runChain(chains.apply(preset));
        }
        if (resolved == null && unetInit == null && !onlyDecoder && chains.apply(preset).size() > 1) {
            // v6 and v7 are fine-tunes: from random weights they would make a different, worse model.
            throw new Ddpo4jException("--recipe " + preset.name() + " continues earlier stages: add --chain --checkpoint-dir DIR"
                    + " to make them too (resumable; hours at 2 threads: docs/shapes-world.md), or --unet-init FOLDER to start from"
                    + " a model you already have");
        }
        fillDefaults(preset);
        // Only a checkpoint folder that a run has claimed makes an existing --out a run to continue.
        boolean resuming = checkpointDir != null && Files.isRegularFile(checkpointDir.resolve("run.txt"));
        if (!onlyDecoder && !resuming && Files.exists(out.resolve("model_index.json"))) {
            throw new Ddpo4jException("--out " + out + " already holds a model; choose another folder or delete it");
        }
        if (checkpointEvery < 1 || snapshotEvery < 0) {
            throw new Ddpo4jException("--checkpoint-every must be >= 1 and --snapshot-every >= 0, got "
                    + checkpointEvery + " and " + snapshotEvery);
        }
        Files.createDirectories(out);
        ShapesSdRecipe.Settings settings = new ShapesSdRecipe.Settings(seed, preset.architecture(),
                RecipePreset.scheduler(zeroTerminalSnr),
                new VaeTraining.Settings(vaeSteps, vaeBatch, vaeLr, klWeight, seed, vaeCrop),
                new DenoiserTraining.Settings(datasetSize, unetSteps, unetBatch, unetLr, unetCoolDown, captionDropout,
                        seed, emaDecay),
                new VaeTraining.Settings(decoderSteps, vaeBatch, vaeLr, klWeight, seed + 5, vaeCrop),
                unetInit == null ? null : unetInit.toAbsolutePath().normalize());
        ShapesSdRecipe.Checkpointing checkpoints = checkpointDir == null ? ShapesSdRecipe.Checkpointing.NONE
                : new ShapesSdRecipe.Checkpointing(checkpointDir, checkpointEvery, snapshotEvery);
        WorldConfig world = WorldConfig.DEFAULT.withSize(imageSize, imageSize).withSupersample(preset.supersample());
        WallClock clock = new WallClock(checkpointDir);
        Map<String, String> provenance = new LinkedHashMap<>();
        String[] command = chainCommand != null ? chainCommand : commandLine();
        provenance.put("ddpo4j.command", "pretrain " + String.join(" ", command));
        provenance.put("ddpo4j.seed", Long.toString(seed));
        provenance.put("ddpo4j.settings", settings.toString());
        String threads = System.getenv().getOrDefault("OMP_NUM_THREADS", "default (" + Runtime.getRuntime().availableProcessors() + " cores)");
        provenance.put("ddpo4j.threads", threads);
        PretrainProgress log = new PretrainProgress(clock);
        if (onlyDecoder) {
            ShapesSdRecipe.refineDecoder(data.apply(world), settings, out, provenance, log, checkpoints);
            System.out.printf("refined the decoder of %s in %.1f minutes%n", out, clock.minutes());
            return 0;
        }
        ShapesSdRecipe.pretrain(data.apply(world), settings, out, provenance, log, checkpoints, unetStopAt);
        clock.save();
        double minutes = clock.minutes();
        System.out.printf("pretrained %s in %.1f minutes%n", out, minutes);
        ModelCard.write(out, settings, world, threads, command, chainMinutesBefore + minutes);
        return 0;
    }

    /**
     * {@code --chain}: each stage before the recipe's own runs as {@code pretrain --recipe STAGE}
     * into {@code DIR/STAGE} with checkpoints in {@code DIR/STAGE-checkpoints}, and the next stage
     * starts from its model; the last writes {@code --out}. Options given on the command line
     * apply to the last stage; a rerun continues whichever stage was under way.
     */
    private int runChain(List<RecipeChain.Stage> stages) throws Exception {
        if (checkpointDir == null) {
            throw new Ddpo4jException("--chain needs --checkpoint-dir: the stages' models and checkpoints are kept there");
        }
        if (unetInit != null || onlyDecoder) {
            throw new Ddpo4jException("--chain makes each stage's --unet-init itself; drop --unet-init and --only-decoder");
        }
        RecipePreset preset = stages.get(stages.size() - 1).preset();
        Path work = checkpointDir;
        Path previous = null;
        PretrainCommand previousRun = null;
        double minutes = 0;
        for (int i = 0; i < stages.size() - 1; i++) {
            RecipeChain.Stage stage = stages.get(i);
            PretrainCommand run = new PretrainCommand();
            run.recipe = stage.preset().name();
            run.resolved = stage.preset();
            run.fillDefaults(stage.preset());
            run.seed = seed;
            run.imageSize = imageSize;
            run.checkpointEvery = checkpointEvery;
            run.snapshotEvery = snapshotEvery;
            run.unetStopAt = stage.unetStopAt();
            run.unetInit = previous;
            run.out = work.resolve(stage.name());
            run.checkpointDir = work.resolve(stage.name() + "-checkpoints");
            System.out.printf("chain stage %d of %d: %s%n", i + 1, stages.size(), stage.name());
            run.reuseVaeOf(previousRun);
            run.call();
            minutes += new WallClock(run.checkpointDir).minutes();
            previous = run.out;
            previousRun = run;
        }
        System.out.printf("chain stage %d of %d: %s%n", stages.size(), stages.size(), preset.name());
        resolved = preset;
        fillDefaults(preset);
        String[] own = commandLine();
        chainCommand = Stream.concat(Arrays.stream(own), Stream.of("--chain", "--checkpoint-dir", work.toString()))
                .toArray(String[]::new);
        chainMinutesBefore = minutes;
        chain = false;
        unetInit = previous;
        checkpointDir = work.resolve(preset.name() + "-checkpoints");
        reuseVaeOf(previousRun);
        try {
            call();
        } finally {
            checkpointDir = work;
            unetInit = null;
            chain = true;
            chainCommand = null;
        }
        minutes += new WallClock(work.resolve(preset.name() + "-checkpoints")).minutes();
        System.out.printf("the chain's %d stages took %.1f minutes in all%n", stages.size(), minutes);
        return 0;
    }

    /**
     * A chain's stages share the VAE when their VAE settings are equal (all of v7's do): this stage's
     * checkpoint folder gets the last stage's finished VAE and decoder checkpoints, so its VAE phases
     * only rewrite their outputs instead of training the same weights again (25 minutes each).
     */
    private void reuseVaeOf(PretrainCommand last) throws IOException {
        if (last == null || !vaeIdentity().equals(last.vaeIdentity())) {
            return;
        }
        Files.createDirectories(checkpointDir);
        for (String phase : List.of("vae", "decoder")) {
            Path from = last.checkpointDir.resolve(phase + ".safetensors");
            Path to = checkpointDir.resolve(phase + ".safetensors");
            if (Files.isRegularFile(from) && !Files.exists(to)) {
                Path partial = checkpointDir.resolve("." + phase + ".safetensors.copy.tmp");
                Files.copy(from, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, to, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /** Everything the VAE phases depend on. */
    private String vaeIdentity() {
        RecipePreset p = resolved != null ? resolved : RecipePreset.named(recipe);
        return List.of(p.architecture().vaeChannels(), p.supersample(), vaeCrop, vaeSteps, vaeBatch, vaeLr, klWeight,
                decoderSteps, seed, imageSize).toString();
    }

    /** Options left unset take the recipe's value. */
    private void fillDefaults(RecipePreset p) {
        vaeSteps = vaeSteps != null ? vaeSteps : p.vaeSteps();
        vaeBatch = vaeBatch != null ? vaeBatch : p.vaeBatchSize();
        vaeLr = vaeLr != null ? vaeLr : p.vaeLr();
        klWeight = klWeight != null ? klWeight : p.klWeight();
        vaeCrop = vaeCrop != null ? vaeCrop : p.vaeCrop();
        datasetSize = datasetSize != null ? datasetSize : p.datasetSize();
        unetSteps = unetSteps != null ? unetSteps : p.unetSteps();
        unetBatch = unetBatch != null ? unetBatch : p.unetBatchSize();
        unetLr = unetLr != null ? unetLr : p.unetLr();
        unetCoolDown = unetCoolDown != null ? unetCoolDown : p.unetCoolDownSteps();
        captionDropout = captionDropout != null ? captionDropout : p.captionDropout();
        decoderSteps = decoderSteps != null ? decoderSteps : p.decoderSteps();
        emaDecay = emaDecay != null ? emaDecay : p.emaDecay();
        zeroTerminalSnr = zeroTerminalSnr != null ? zeroTerminalSnr : p.zeroTerminalSnr();
    }

    private String[] commandLine() {
        String[] all = {"--recipe", recipe, "--out", out.toString(), "--seed", Long.toString(seed), "--vae-steps",
            Integer.toString(vaeSteps), "--vae-batch-size", Integer.toString(vaeBatch), "--vae-lr", Double.toString(vaeLr),
            "--kl-weight", Double.toString(klWeight), "--vae-crop", Integer.toString(vaeCrop), "--dataset-size", Integer.toString(datasetSize), "--unet-steps",
            Integer.toString(unetSteps), "--unet-batch-size", Integer.toString(unetBatch), "--unet-lr",
            Double.toString(unetLr), "--unet-cool-down", Integer.toString(unetCoolDown), "--caption-dropout", Double.toString(captionDropout), "--image-size",
            Integer.toString(imageSize), "--decoder-steps", Integer.toString(decoderSteps), "--ema-decay",
            Double.toString(emaDecay), "--zero-terminal-snr", Boolean.toString(zeroTerminalSnr)};
        if (unetStopAt > 0) {
            all = Stream.concat(Arrays.stream(all), Stream.of("--unet-stop-at", Integer.toString(unetStopAt)))
                    .toArray(String[]::new);
        }
        // Only a run that was given one names its init folder: the card's command must run as printed.
        return unetInit == null ? all : Stream.concat(Arrays.stream(all), Stream.of("--unet-init", unetInit.toString()))
                .toArray(String[]::new);
    }
}
