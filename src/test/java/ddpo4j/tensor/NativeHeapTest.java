package ddpo4j.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class NativeHeapTest {
    // What the settings buy is a page-fault and CPU-time figure of a whole epoch (bench's
    // epoch_page_faults; docs/performance.md), not something a unit test can time.
    @Test
    @EnabledOnOs(OS.LINUX)
    void glibcTakesEverySettingAndAgainOnASecondCall() {
        assertTrue(NativeHeap.available(), "glibc's malloc should load on Linux");
        assertTrue(NativeHeap.configure(2), "mallopt refused a setting");
        assertTrue(NativeHeap.configure(2), "mallopt refused a setting the second time");
    }
}
