package ddpo4j.prompts;

import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A prompt file: one prompt per line; blank lines and lines starting with {@code #} are skipped. */
public final class PromptFile {
    private PromptFile() {}

    public static List<String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Ddpo4jException("cannot read prompt file " + file + ": " + e.getMessage(), e);
        }
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(t);
            }
        }
        return out;
    }
}
