package ddpo4j.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.AtomicFile;
import ddpo4j.io.FileTrees;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.io.SafetensorsWriter;
import ddpo4j.nn.Parameter;
import ddpo4j.tensor.Finite;
import ddpo4j.tensor.InPlace;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checkpoints {@code checkpoints/epoch_NNNNNN/}: {@code state.safetensors} (trainable weights and
 * AdamW moments) and {@code state.json} (epoch, optimizer step, stat-tracker buffers). A checkpoint
 * is written in a hidden folder, fsynced and renamed into place, and deleted by renaming it to a
 * hidden name first, so a process killed at any moment leaves every {@code epoch_*} folder whole.
 * A checkpoint whose tensors are not all finite is never written.
 */
public final class Checkpoints {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String PREFIX = "epoch_";

    /**
     * What a checkpoint restores besides tensors. {@code nonFiniteRewardStreak}: reward batches with
     * a non-finite score in a row at the end of the epoch, so a resumed run stops where an
     * uninterrupted one would (0 in checkpoints written before it existed).
     */
    public record State(int epoch, long optimizerStep, Map<String, List<Double>> trackerBuffers,
            int nonFiniteRewardStreak) {}

    private Checkpoints() {}

    public static void save(Path dir, State state, Map<String, Parameter> weights, AdamW adam,
            Map<String, String> metadata, int keep) {
        String name = name(state.epoch());
        Path target = dir.resolve(name);
        Path tmp = dir.resolve("." + name + ".tmp");
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Parameter> e : weights.entrySet()) {
            tensors.put(e.getKey(), e.getValue().value());
            tensors.put("adam.exp_avg." + e.getKey(), adam.firstMoments().get(i));
            tensors.put("adam.exp_avg_sq." + e.getKey(), adam.secondMoments().get(i));
            i++;
        }
        // A NaN checkpoint would make --resume continue from garbage and, through pruning, push out the good ones.
        String bad = Finite.firstNonFinite(tensors);
        if (bad != null) {
            Path newest = latest(dir);
            throw new Ddpo4jException("not writing checkpoint " + target + ": " + bad + " holds NaN or infinite"
                    + " values (the weights diverged). " + (newest == null ? "No checkpoint was written before."
                    : "The newest checkpoint, " + newest + ", is untouched: fix the cause (e.g. a lower"
                    + " train.learning_rate) and continue from it with --resume " + dir.getParent()));
        }
        try {
            Files.createDirectories(dir);
            removeStale(dir);
            Files.createDirectories(tmp);
            SafetensorsWriter.write(tmp.resolve("state.safetensors"), tensors, metadata);
            AtomicFile.write(tmp.resolve("state.json"), JSON.writeValueAsBytes(state));
            fsync(tmp);
            discard(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            fsync(dir);
            prune(dir, keep);
        } catch (IOException e) {
            throw new Ddpo4jException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    /** The folder name of epoch {@code epoch}'s checkpoint. */
    /** The epoch of checkpoint folder {@code checkpoint} ({@link #name}'s inverse). */
    static int epochOf(Path checkpoint) {
        return Integer.parseInt(checkpoint.getFileName().toString().substring(PREFIX.length()));
    }

    static String name(int epoch) {
        return String.format(PREFIX + "%06d", epoch);
    }

    /** The newest complete checkpoint folder, or null. */
    public static Path latest(Path dir) {
        List<Path> all = list(dir);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Restores weights and AdamW moments in place and returns the rest of the state. */
    public static State load(Path checkpoint, Map<String, Parameter> weights, AdamW adam, NDManager manager) {
        State state;
        try {
            state = JSON.readValue(checkpoint.resolve("state.json").toFile(), new TypeReference<State>() {});
        } catch (IOException e) {
            throw new Ddpo4jException("cannot read " + checkpoint.resolve("state.json") + ": " + e.getMessage(), e);
        }
        try (SafetensorsReader r = SafetensorsReader.open(checkpoint.resolve("state.safetensors"))) {
            int i = 0;
            for (Map.Entry<String, Parameter> e : weights.entrySet()) {
                for (String key : new String[] {e.getKey(), "adam.exp_avg." + e.getKey(), "adam.exp_avg_sq." + e.getKey()}) {
                    if (!r.contains(key)) {
                        throw new Ddpo4jException("checkpoint " + checkpoint + " lacks tensor " + key
                                + " (was it written by a run with other trainable parameters?)");
                    }
                }
                NDArray w = e.getValue().value();
                copyInto(w, r.load(e.getKey(), manager));
                copyInto(adam.firstMoments().get(i), r.load("adam.exp_avg." + e.getKey(), manager));
                copyInto(adam.secondMoments().get(i), r.load("adam.exp_avg_sq." + e.getKey(), manager));
                i++;
            }
        }
        adam.setStepCount(state.optimizerStep());
        return state;
    }

    private static void copyInto(NDArray target, NDArray source) {
        if (!target.getShape().equals(source.getShape())) {
            throw new Ddpo4jException("checkpoint tensor of shape " + source.getShape() + " does not fit " + target.getShape());
        }
        InPlace.copy(target, source);
        source.close();
    }

    static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> out = new ArrayList<>(s.filter(p -> p.getFileName().toString().startsWith(PREFIX)
                    && Files.isRegularFile(p.resolve("state.json"))
                    && Files.isRegularFile(p.resolve("state.safetensors"))).toList());
            out.sort(Comparator.comparing(p -> p.getFileName().toString()));
            return out;
        } catch (IOException e) {
            throw new Ddpo4jException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes all but the newest {@code keep} checkpoints. Run after each save, and on resume: a
     * process killed between writing a checkpoint and pruning leaves one too many.
     */
    static void prune(Path dir, int keep) throws IOException {
        List<Path> all = list(dir);
        for (int i = 0; i < all.size() - Math.max(1, keep); i++) {
            discard(all.get(i));
        }
    }

    /**
     * Deletes what a killed process left: half-written {@code .epoch_*.tmp} folders and half-deleted
     * {@code .trash.*} ones. Only hidden names, which no reader ever opens.
     */
    static void removeStale(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".")).toList()) {
                FileTrees.delete(p);
            }
        }
    }

    /**
     * Deletes a checkpoint folder so that it is never seen half-deleted: renamed to a hidden name
     * first (atomic), then emptied. Deleting in place could leave state.json without its tensors.
     */
    private static void discard(Path checkpoint) throws IOException {
        if (!Files.exists(checkpoint)) {
            return;
        }
        Path trash = checkpoint.resolveSibling(".trash." + checkpoint.getFileName());
        FileTrees.delete(trash);
        Files.move(checkpoint, trash, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.delete(trash);
    }

    private static void fsync(Path dir) {
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException | RuntimeException ignored) {
            // best effort: some platforms cannot open folders
        }
    }
}
