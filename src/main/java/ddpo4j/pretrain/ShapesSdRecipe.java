package ddpo4j.pretrain;

import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.ComponentWeights;
import ddpo4j.io.JsonFile;
import ddpo4j.models.clip.CLIPTextConfig;
import ddpo4j.models.clip.CLIPTextModel;
import ddpo4j.models.unet.UNet2DConditionConfig;
import ddpo4j.models.unet.UNet2DConditionModel;
import ddpo4j.models.vae.AutoencoderKL;
import ddpo4j.models.vae.AutoencoderKLConfig;
import ddpo4j.schedulers.DDIMScheduler;
import ddpo4j.schedulers.DDIMSchedulerConfig;
import ddpo4j.text.ClipTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The recipe of the bundled tiny models: Stable Diffusion's architecture at toy size (CLIP text
 * encoder, UNet2DConditionModel, AutoencoderKL with 4 latent channels; sizes in {@link Architecture}),
 * trained from scratch in three phases (VAE; text encoder + UNet; VAE decoder alone) and written as
 * a diffusers folder.
 */
public final class ShapesSdRecipe {
    /**
     * Every knob of a pretraining run, recorded in the model card; {@code unetInit} null: the UNet and
     * text encoder start from random weights, else from that model folder's ({@link DenoiserInit}).
     */
    public record Settings(long seed, Architecture architecture, DDIMSchedulerConfig scheduler,
            VaeTraining.Settings vae, DenoiserTraining.Settings denoiser, VaeTraining.Settings decoder, Path unetInit) {}

    /**
     * Where a run keeps its resumable state: {@code dir} null for none, else each phase saves to
     * {@code dir/PHASE.safetensors} every {@code every} steps and a rerun continues from there; a
     * copy is kept every {@code snapshotEvery} steps (0: none).
     */
    public record Checkpointing(Path dir, int every, int snapshotEvery) {
        public static final Checkpointing NONE = new Checkpointing(null, 0, 0);

        public Checkpointing(Path dir, int every) {
            this(dir, every, 0);
        }

        /**
         * Refuses a checkpoint folder left by a run with other settings or data (resuming would mix
         * two recipes); records this run's description in an empty one.
         */
        void claim(String description) {
            if (dir == null) {
                return;
            }
            Path file = dir.resolve("run.txt");
            try {
                Files.createDirectories(dir);
                if (Files.isRegularFile(file)) {
                    String before = Files.readString(file);
                    if (!before.equals(description)) {
                        throw new Ddpo4jException("checkpoint folder " + dir + " belongs to another run:\n  "
                                + before + "\nthis run is\n  " + description
                                + "\nresume with the same options, or use another --checkpoint-dir");
                    }
                    return;
                }
            } catch (IOException e) {
                throw new Ddpo4jException("cannot read checkpoint folder " + dir + ": " + e.getMessage(), e);
            }
            ModelFolderWriter.writeText(file, description);
        }

        PhaseCheckpoint phase(String name) {
            return dir == null ? PhaseCheckpoint.none() : new PhaseCheckpoint(dir, name, every, snapshotEvery);
        }
    }

    private ShapesSdRecipe() {}

    /**
     * Runs the three phases (VAE; its decoder alone; text encoder + UNet) and writes the model folder
     * {@code out}; the model card is written by the
     * caller. With checkpointing, a rerun with the same settings continues each phase where the last
     * checkpoint left it (finished phases only rewrite their outputs), with bit-identical results.
     */
    public static void pretrain(CaptionedImages data, Settings s, Path out, Map<String, String> provenance,
            TrainingLog log, Checkpointing checkpoints) {
        pretrain(data, s, out, provenance, log, checkpoints, 0);
    }

    /**
     * As above, phase 2 ending after {@code unetStopAt} steps of its schedule (0: all): the model a
     * full run has at that step ({@link DenoiserTraining#train}; the stop is not part of the
     * settings a checkpoint folder is claimed with, so it can be moved without starting over).
     */
    public static void pretrain(CaptionedImages data, Settings s, Path out, Map<String, String> provenance,
            TrainingLog log, Checkpointing checkpoints, int unetStopAt) {
        Architecture arch = s.architecture();
        int size = data.size();
        checkpoints.claim(s + " data=" + data.describe());
        Path tok = out.resolve("tokenizer");
        BpeVocabularyBuilder.write(tok, data.vocabulary());
        ClipTokenizer tokenizer = ClipTokenizer.load(tok);
        ModelFolderWriter.writeModelIndex(out);
        ModelFolderWriter.writeScheduler(out, s.scheduler());
        try (NDManager root = NDManager.newBaseManager()) {
            // Phase 1: the VAE (scaling factor measured afterwards, as for SD)
            JsonFile.write(out.resolve("vae/config.json"), arch.vaeConfig(size, 1.0));
            AutoencoderKL vae = new AutoencoderKL(AutoencoderKLConfig.read(out.resolve("vae/config.json")));
            Initializer.initialize(vae, root, s.seed() + 1);
            VaeTraining.train(vae, data, s.vae(), root, log, checkpoints.phase("vae"));
            double scaling = VaeTraining.scalingFactor(vae, data, 256, s.seed() + 2, root);
            JsonFile.write(out.resolve("vae/config.json"), arch.vaeConfig(size, scaling));
            ModelFolderWriter.writeWeights(out.resolve("vae/diffusion_pytorch_model.safetensors"), vae, provenance);
            // Phase 3 runs now, before the UNet: it reads only the phase-1 file and changes neither the
            // encoder nor the latents, so the result is the same as running it last, and every UNet
            // snapshot of a long run is usable with the final decoder while the run goes on.
            refineDecoder(data, s, out, provenance, log, checkpoints);
            // Reload through the float16 file so the denoiser learns on exactly the latents users will decode.
            AutoencoderKL frozen = new AutoencoderKL(AutoencoderKLConfig.read(out.resolve("vae/config.json")));
            ComponentWeights.load(frozen, out.resolve("vae"), "diffusion_pytorch_model", root,
                    AutoencoderKL::canonicalKey);

            // Phase 2: text encoder + UNet with the DDPM epsilon loss and caption dropout
            JsonFile.write(out.resolve("unet/config.json"), arch.unetConfig(size));
            JsonFile.write(out.resolve("text_encoder/config.json"), arch.textConfig(tokenizer.vocabSize()));
            UNet2DConditionModel unet = new UNet2DConditionModel(
                    UNet2DConditionConfig.read(out.resolve("unet/config.json")));
            CLIPTextModel text = new CLIPTextModel(CLIPTextConfig.read(out.resolve("text_encoder/config.json")));
            Initializer.initialize(unet, root, s.seed() + 3);
            Initializer.initialize(text, root, s.seed() + 4);
            if (s.unetInit() != null) {
                DenoiserInit.load(s.unetInit(), out, unet, text, root);
            }
            DDIMScheduler schedule = new DDIMScheduler(DDIMSchedulerConfig.read(
                    out.resolve("scheduler/scheduler_config.json")));
            DenoiserTraining.train(unet, text, tokenizer, frozen, schedule, data, s.denoiser(), root, log,
                    checkpoints.phase("denoiser"), unetStopAt);
            ModelFolderWriter.writeWeights(out.resolve("unet/diffusion_pytorch_model.safetensors"), unet, provenance);
            ModelFolderWriter.writeWeights(out.resolve("text_encoder/model.safetensors"), text, provenance);
        }
    }

    /**
     * Phase 3: more training of the VAE decoder alone, on the encoder's latents, from the float16
     * phase-1 file: truer colours and sharper shapes, with the latent space the denoiser learns
     * unchanged. It reads only that file and the seed, so it can also run on its own (--only-decoder).
     */
    public static void refineDecoder(CaptionedImages data, Settings s, Path out, Map<String, String> provenance,
            TrainingLog log, Checkpointing checkpoints) {
        if (s.decoder().steps() == 0) {
            return;
        }
        try (NDManager root = NDManager.newBaseManager()) {
            AutoencoderKL vae = new AutoencoderKL(AutoencoderKLConfig.read(out.resolve("vae/config.json")));
            ComponentWeights.load(vae, out.resolve("vae"), "diffusion_pytorch_model", root,
                    AutoencoderKL::canonicalKey);
            VaeTraining.refineDecoder(vae, data, s.decoder(), root, log, checkpoints.phase("decoder"));
            ModelFolderWriter.writeWeights(out.resolve("vae/diffusion_pytorch_model.safetensors"), vae, provenance);
        }
    }
}
