package ddpo4j.io;

import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file atomically: the content goes to a temp file in the same folder, is fsynced, and
 * is renamed over the target, so readers only ever see the old or the complete new file.
 */
public final class AtomicFile {
    private AtomicFile() {}

    /** Writes a file's whole content to an open channel. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Writes {@code bytes} to {@code file} atomically; on any failure no temp file remains. */
    public static void write(Path file, byte[] bytes) {
        write(file, ch -> {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        });
    }

    /** Writes {@code content} to {@code file} atomically; on any failure no temp file remains. */
    public static void write(Path file, Content content) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new Ddpo4jException("cannot write " + file + ": folder " + dir + " does not exist");
        }
        if (Files.isDirectory(target)) {
            throw new Ddpo4jException("cannot write " + file + ": it is a directory");
        }
        Path tmp = null;
        boolean moved = false;
        try {
            tmp = createTemp(dir, target.getFileName().toString());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                content.writeTo(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                // Same folder, so only exotic file systems get here; still never a partial target.
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new Ddpo4jException("cannot write " + file + ": " + e, e);
        } catch (Ddpo4jException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new Ddpo4jException("cannot write " + file + ": " + e, e);
        } finally {
            if (tmp != null && !moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The original failure is what matters; a stray dot-file is harmless.
                }
            }
        }
    }

    private static Path createTemp(Path dir, String name) throws IOException {
        // Not Files.createTempFile: it creates mode 0600, and the rename would keep that mode.
        while (true) {
            Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.createFile(tmp);
                return tmp;
            } catch (FileAlreadyExistsException e) {
                // Astronomically unlikely; draw another name.
            }
        }
    }

    private static void syncDirectory(Path dir) {
        // Makes the rename itself durable. Some platforms cannot open a folder; the data is safe anyway.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }
}
