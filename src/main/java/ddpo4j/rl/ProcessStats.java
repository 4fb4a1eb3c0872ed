package ddpo4j.rl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's peak and current resident memory and its page faults, from /proc (Linux); -1 elsewhere. */
public final class ProcessStats {
    private ProcessStats() {}

    public static double peakRssMb() {
        return field("VmHWM:");
    }

    public static double rssMb() {
        return field("VmRSS:");
    }

    /** Minor page faults so far: pages the kernel had to map (and zero) when first touched. */
    public static long minorPageFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // fields after the parenthesized command name start at field 3 (state); minflt is field 10
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
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
