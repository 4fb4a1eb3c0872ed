package ddpo4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary folder that fuzz tests write their inputs into, because the code under test reads
 * files. One per test class, reused by every fuzz iteration (thousands per second, so no fresh
 * folder each time) and deleted when the JVM exits.
 */
public final class FuzzScratch {
    private final Path dir;

    public FuzzScratch(String prefix) {
        try {
            dir = Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::deleteAll));
    }

    /** The folder itself. */
    public Path dir() {
        return dir;
    }

    /** Writes {@code content} to {@code name} in the folder, replacing what was there. */
    public Path write(String name, byte[] content) {
        Path file = dir.resolve(name);
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Removes every file in the folder, so that the files of the previous input do not linger. */
    public void clear() {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deleteAll() {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort at exit: a leftover temp folder is harmless
        }
    }
}
