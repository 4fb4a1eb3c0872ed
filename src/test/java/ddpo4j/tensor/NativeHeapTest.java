package ddpo4j.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.rl.ProcessStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class NativeHeapTest {
    @Test
    @EnabledOnOs(OS.LINUX)
    void trimsFreedLibtorchMemoryOnGlibc() {
        assertTrue(NativeHeap.available(), "glibc's malloc_trim should load on Linux");
        NativeHeap.limitArenas(2);
        // Many mid-sized tensors (below glibc's mmap threshold once it has grown) freed at once
        // leave free pages inside the heap; trim must hand them back.
        try (NDManager m = NDManager.newBaseManager()) {
            for (int round = 0; round < 3; round++) {
                try (NDManager step = m.newSubManager()) {
                    for (int i = 0; i < 400; i++) {
                        NDArray a = step.ones(new Shape(64 * 1024)); // 256 KiB each
                        a.addi(1);
                    }
                }
            }
        }
        double before = ProcessStats.rssMb();
        NativeHeap.trim();
        double after = ProcessStats.rssMb();
        assertTrue(after <= before, "RSS after trim " + after + " MB, before " + before + " MB");
    }
}
