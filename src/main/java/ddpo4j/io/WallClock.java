package ddpo4j.io;

import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Wall time of a job that may span several processes (stopped, then resumed: a pretraining run, a
 * replay): the seconds of earlier processes are kept in {@code DIR/wall-seconds}, so a model card
 * or a table can state the whole job's time. Without a folder it times this process only.
 */
public final class WallClock {
    private final Path file;
    private final double before;
    private final long start = System.nanoTime();

    public WallClock(Path dir) {
        this.file = dir == null ? null : dir.resolve("wall-seconds");
        this.before = file != null && Files.isRegularFile(file) ? read(file) : 0;
    }

    private static double read(Path file) {
        try {
            return Double.parseDouble(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            throw new Ddpo4jException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Minutes of this run so far, earlier processes included. */
    public double minutes() {
        return (before + (System.nanoTime() - start) / 1e9) / 60;
    }

    /** Records the total so far (atomically), so a killed process loses at most the time since the last call. */
    public void save() {
        if (file != null) {
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException e) {
                throw new Ddpo4jException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
            }
            AtomicFile.write(file, Double.toString(minutes() * 60).getBytes(StandardCharsets.UTF_8));
        }
    }
}
