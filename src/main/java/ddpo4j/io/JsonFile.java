package ddpo4j.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a value as indented JSON through {@link AtomicFile}, creating missing parent folders. One
 * writer for the model folder's configs and the run's JSON files, here in {@code io} so that both
 * {@code pretrain} and {@code rl} use it without depending on each other.
 */
public final class JsonFile {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonFile() {}

    public static void write(Path file, Object value) {
        try {
            Files.createDirectories(file.getParent());
            AtomicFile.write(file, JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new Ddpo4jException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
