package ddpo4j.pretrain;

import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.FileTrees;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.models.clip.CLIPTextConfig;
import ddpo4j.models.clip.CLIPTextModel;
import ddpo4j.models.unet.UNet2DConditionConfig;
import ddpo4j.models.unet.UNet2DConditionModel;
import ddpo4j.nn.Module;
import ddpo4j.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Makes a model folder from a denoiser checkpoint or snapshot of a pretraining run still under way:
 * the run's folder (tokenizer, scheduler, final VAE, configs) with the UNet and text encoder of the
 * checkpoint (its EMA weights when it has them, as the finished run would ship). So the model can
 * be evaluated at several lengths of training, e.g. to choose the one whose counting leaves RL
 * headroom, without stopping the run.
 */
public final class SnapshotExport {
    private SnapshotExport() {}

    public static void export(Path runOut, Path checkpoint, Path dest, NDManager manager) {
        if (!Files.isRegularFile(runOut.resolve("unet/config.json"))) {
            throw new Ddpo4jException(runOut + " has no unet/config.json yet: the run has not reached the UNet phase");
        }
        if (!Files.isRegularFile(checkpoint)) {
            throw new Ddpo4jException("checkpoint " + checkpoint + " does not exist");
        }
        if (Files.exists(dest)) {
            throw new Ddpo4jException(dest + " exists; choose a new folder");
        }
        // built beside dest and renamed into place: a failed export leaves no half-written model folder
        Path partial = dest.resolveSibling(dest.getFileName() + ".partial");
        try {
            FileTrees.delete(partial);
            fill(runOut, checkpoint, partial, manager);
            Files.move(partial, dest, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new Ddpo4jException("cannot write " + dest + ": " + e.getMessage(), e);
        } finally {
            try {
                FileTrees.delete(partial);
            } catch (IOException ignored) {
                // best effort: only a leftover scratch folder
            }
        }
    }

    private static void fill(Path runOut, Path checkpoint, Path dest, NDManager manager) {
        copyTree(runOut, dest);
        UNet2DConditionModel unet = new UNet2DConditionModel(UNet2DConditionConfig.read(dest.resolve("unet/config.json")));
        CLIPTextModel text = new CLIPTextModel(CLIPTextConfig.read(dest.resolve("text_encoder/config.json")));
        // The denoiser checkpoints its parameters as one list: the UNet's, then the text encoder's.
        List<Parameter> params = new ArrayList<>(unet.namedParameters().values());
        params.addAll(text.namedParameters().values());
        Map<String, String> meta = new LinkedHashMap<>();
        try (SafetensorsReader r = SafetensorsReader.open(checkpoint)) {
            String prefix = r.contains("ema.0000") ? "ema" : "param";
            for (int i = 0; i < params.size(); i++) {
                String key = String.format("%s.%04d", prefix, i);
                if (!r.contains(key)) {
                    throw new Ddpo4jException(checkpoint + " lacks " + key + ": not a denoiser checkpoint of this run");
                }
                params.get(i).set(r.load(key, manager));
            }
            meta.putAll(r.metadata());
        }
        meta.put("ddpo4j.exported_from", checkpoint.toAbsolutePath().toString());
        write(dest.resolve("unet/diffusion_pytorch_model.safetensors"), unet, meta);
        write(dest.resolve("text_encoder/model.safetensors"), text, meta);
    }

    private static void write(Path file, Module module, Map<String, String> meta) {
        ModelFolderWriter.writeWeights(file, module, meta);
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().endsWith(".safetensors") || p.startsWith(from.resolve("vae"))) {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new Ddpo4jException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /** {@code SnapshotExport RUN_OUT CHECKPOINT DEST}: e.g. the run's --out, checkpoints/denoiser-step-004000.safetensors, a new folder. */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: SnapshotExport RUN_OUT CHECKPOINT DEST");
            System.exit(2);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            export(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), m);
        }
        System.out.println("wrote " + args[2]);
    }
}
