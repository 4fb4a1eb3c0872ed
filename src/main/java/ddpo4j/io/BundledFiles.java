package ddpo4j.io;

import ddpo4j.Ddpo4jException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files shipped in the repository beside the jar ({@code models/}, {@code configs/}), found from
 * the jar's location (target/ddpo4j.jar or target/classes) so commands work from any folder.
 * A model may be named {@code bundled:NAME} for {@code <repo>/models/NAME}.
 */
public final class BundledFiles {
    public static final String PREFIX = "bundled:";

    private BundledFiles() {}

    /** The repository root: the folder above {@code target/}, else the working directory. */
    public static Path root() {
        try {
            Path code = Path.of(BundledFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = code; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("configs")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                    return p;
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall back to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    /** {@code bundled:NAME} to the bundled model folder (which must exist); any other value as a path. */
    public static Path model(String spec) {
        return folder(spec, "model_index.json", "./ddpo4j pretrain --out models/");
    }

    /**
     * {@code bundled:NAME} to {@code <repo>/models/NAME}, which must hold {@code marker} (e.g. a
     * judge's {@code config.json}); any other value as a path. {@code rebuild} is the command that
     * makes the folder, without its name (e.g. {@code "./ddpo4j pretrain judge --out models/"}).
     */
    public static Path folder(String spec, String marker, String rebuild) {
        if (!spec.startsWith(PREFIX)) {
            return Path.of(spec);
        }
        String name = spec.substring(PREFIX.length());
        Path dir = root().resolve("models").resolve(name);
        if (!Files.isRegularFile(dir.resolve(marker))) {
            throw new Ddpo4jException("bundled model " + name + " not found at " + dir + " (rebuild it with: " + rebuild
                    + name + ")");
        }
        return dir;
    }

    /** A bundled config file, e.g. {@code configs/shapes-counting.yaml}. */
    public static Path config(String name) {
        Path f = root().resolve("configs").resolve(name);
        if (!Files.isRegularFile(f)) {
            throw new Ddpo4jException("bundled config " + f + " not found");
        }
        return f;
    }
}
