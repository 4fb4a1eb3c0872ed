package ddpo4j.rl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's peak and current resident memory, from /proc (Linux); -1 elsewhere. */
public final class ProcessStats {
    private ProcessStats() {}

    public static double peakRssMb() {
        return field("VmHWM:");
    }

    public static double rssMb() {
        return field("VmRSS:");
    }

    private static double field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
