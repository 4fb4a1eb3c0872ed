package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class ProcessStatsTest {
    @TempDir
    Path tmp;

    @Test
    @EnabledOnOs(OS.LINUX)
    void touchingFreshlyMappedMemoryCountsItsPagesAsFaults() throws Exception {
        // a new file mapping: memory no allocator of this JVM can have handed out before
        int size = 16 << 20; // 4,096 pages
        try (FileChannel ch = FileChannel.open(tmp.resolve("pages"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer fresh = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            long before = ProcessStats.minorPageFaults();
            for (int i = 0; i < size; i += 4096) {
                fresh.put(i, (byte) 1);
            }
            long faults = ProcessStats.minorPageFaults() - before;
            assertTrue(before > 0, "a running JVM has faulted pages already: " + before);
            // at least one fault per 16 pages: the kernel may map a file's neighbouring pages on one fault
            assertTrue(faults >= 256, "16 MiB of fresh memory faulted only " + faults + " times");
        }
        assertTrue(ProcessStats.rssMb() > 16 && ProcessStats.peakRssMb() >= ProcessStats.rssMb() - 1);
    }
}
