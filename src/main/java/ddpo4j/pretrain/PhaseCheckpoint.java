package ddpo4j.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.io.SafetensorsWriter;
import ddpo4j.rl.AdamW;
import ddpo4j.tensor.GradMode;
import ddpo4j.tensor.InPlace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resumable state of one pretraining phase in one file, {@code DIR/PHASE.safetensors}: the
 * trained tensors in float32 (not the float16 of the model folder: resuming must continue from the
 * exact bits), the AdamW moments and step count, any extra state (EMA weights) and the number of
 * steps done. Data needs no state: step {@code s} draws its batch from a stream seeded by (seed, s).
 * The file is replaced atomically (temp file, fsync, rename), so a kill at any moment leaves the
 * previous or the new checkpoint, never half of one.
 */
public final class PhaseCheckpoint {
    private static final String STEPS = "ddpo4j.pretrain.steps_done";
    private static final String ADAM_STEP = "ddpo4j.pretrain.adam_step";
    private static final String RUNNING = "ddpo4j.pretrain.running_loss";

    private final Path file;
    private final int every;
    private final int snapshotEvery;

    /** Where a phase resumes: steps already done (0: from scratch) and the logged running loss. */
    public record Resumed(int stepsDone, double runningLoss) {}

    /**
     * @param every save after every {@code every} steps (and after the last); 0 disables checkpoints
     * @param snapshotEvery also keep a copy {@code PHASE-step-NNNNNN.safetensors} every this many
     *     steps (0: none), to compare the model at several lengths of training afterwards
     */
    public PhaseCheckpoint(Path dir, String phase, int every, int snapshotEvery) {
        if (every < 0 || snapshotEvery < 0) {
            throw new Ddpo4jException("checkpoint intervals must be >= 0, got " + every + " and " + snapshotEvery);
        }
        this.file = dir == null ? null : dir.resolve(phase + ".safetensors");
        this.every = dir == null ? 0 : every;
        this.snapshotEvery = snapshotEvery;
    }

    public PhaseCheckpoint(Path dir, String phase, int every) {
        this(dir, phase, every, 0);
    }

    /** No checkpoints: the phase runs from scratch and nothing is written. */
    public static PhaseCheckpoint none() {
        return new PhaseCheckpoint(null, "", 0, 0);
    }

    /** The kept copy of the checkpoint after {@code step} steps. */
    public Path snapshot(int step) {
        String name = file.getFileName().toString().replace(".safetensors", "");
        return file.resolveSibling(String.format("%s-step-%06d.safetensors", name, step));
    }

    public boolean enabled() {
        return every > 0;
    }

    /** Steps recorded in the checkpoint file without loading tensors (0 when there is none). */
    public int stepsDone() {
        if (!enabled() || !Files.isRegularFile(file)) {
            return 0;
        }
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            return Integer.parseInt(r.metadata().get(STEPS));
        }
    }

    /**
     * Restores {@code tensors} (in place, by name), the AdamW moments and step count from the file
     * if there is one; returns where to continue.
     */
    public Resumed restore(Map<String, NDArray> tensors, AdamW adam, NDManager manager) {
        if (!enabled() || !Files.isRegularFile(file)) {
            return new Resumed(0, Double.NaN);
        }
        GradMode.off(); // in-place writes to trainable weights
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            Map<String, NDArray> all = withMoments(tensors, adam);
            if (!r.keys().equals(new java.util.TreeSet<>(all.keySet()))) {
                throw new Ddpo4jException("checkpoint " + file + " does not hold this phase's tensors (written by"
                        + " another recipe or architecture?); delete it or use another --checkpoint-dir");
            }
            for (Map.Entry<String, NDArray> e : all.entrySet()) {
                NDArray target = e.getValue();
                NDArray source = r.load(e.getKey(), manager);
                if (!target.getShape().equals(source.getShape())) {
                    throw new Ddpo4jException("checkpoint " + file + ": tensor " + e.getKey() + " has shape "
                            + source.getShape() + ", the model needs " + target.getShape());
                }
                InPlace.copy(target, source);
                source.close();
            }
            Map<String, String> meta = r.metadata();
            adam.setStepCount(Long.parseLong(meta.get(ADAM_STEP)));
            return new Resumed(Integer.parseInt(meta.get(STEPS)), Double.parseDouble(meta.get(RUNNING)));
        }
    }

    /** Saves after step {@code stepsDone} when it is a multiple of the interval or the last step. */
    public void maybeSave(int stepsDone, int totalSteps, double runningLoss, Map<String, NDArray> tensors,
            AdamW adam) {
        boolean snapshot = enabled() && snapshotEvery > 0 && stepsDone % snapshotEvery == 0;
        if (!enabled() || (stepsDone % every != 0 && stepsDone != totalSteps && !snapshot)) {
            return;
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(STEPS, Integer.toString(stepsDone));
        meta.put(ADAM_STEP, Long.toString(adam.stepCount()));
        meta.put(RUNNING, Double.toString(runningLoss));
        Map<String, NDArray> all = withMoments(tensors, adam);
        SafetensorsWriter.write(file, all, meta);
        if (snapshot) {
            SafetensorsWriter.write(snapshot(stepsDone), all, meta);
        }
    }

    /** Names for a list of arrays ("p.0007"), so positional lists can be checkpointed like named ones. */
    public static Map<String, NDArray> named(String prefix, List<NDArray> arrays) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < arrays.size(); i++) {
            out.put(String.format("%s.%04d", prefix, i), arrays.get(i));
        }
        return out;
    }

    private static Map<String, NDArray> withMoments(Map<String, NDArray> tensors, AdamW adam) {
        Map<String, NDArray> all = new LinkedHashMap<>(tensors);
        all.putAll(named("adam.exp_avg", adam.firstMoments()));
        all.putAll(named("adam.exp_avg_sq", adam.secondMoments()));
        return all;
    }
}
