package ddpo4j.tensor;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * glibc's heap, tuned for libtorch's allocation pattern: the same large activations (megabytes each)
 * allocated and freed thousands of times per epoch.
 *
 * <p>glibc's defaults hand such memory back to the OS on free and take it again on the next
 * allocation, and every page taken again is a page fault (the kernel zeroes it). A non-main arena's
 * 64 MiB heap is unmapped as soon as its top chunk covers it, whatever the trim threshold; a
 * chunk above the mmap threshold is unmapped on free. Measured with {@code perf stat} on
 * {@code bench --steps 5 --repeats 1} of the tiny pipeline at one thread: 1.04 M page faults and
 * 7.2 s of kernel time in 38 s of CPU; 2,400 heaps mapped and unmapped. With {@link #configure}
 * 144 k faults (most of them the JVM and libtorch loading), 1.5 s of kernel time in 27 s: freed
 * pages are reused, so the process holds its peak working set instead of re-faulting it. The price
 * is RSS between phases, and some peak: the default job's peak RSS rose from 837 to 927 MB
 * (docs/performance.md).
 *
 * <p>Settings: at most {@code arenas} arenas (one per thread that ever allocated would hold freed
 * pages in each of up to 16: a third of a training run's RSS once); the mmap threshold fixed at
 * glibc's 64-bit maximum (32 MiB), so activations come from the heaps; a trim threshold of
 * 1 GiB, and a top pad of one heap (64 MiB), which also keeps an emptied heap from being unmapped.
 * Without glibc (musl, macOS) every call is a no-op.
 */
public final class NativeHeap {
    // mallopt parameters of glibc's malloc.h
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int M_ARENA_MAX = -8;
    private static final int MMAP_THRESHOLD_MAX = 32 << 20;
    private static final int TRIM_THRESHOLD = 1 << 30;
    private static final int HEAP_SIZE = 64 << 20;
    private static final LibC C = load();

    interface LibC extends Library {
        int malloc_trim(long pad);  // only to tell glibc from other C libraries

        int mallopt(int param, int value);
    }

    private NativeHeap() {}

    private static LibC load() {
        try {
            LibC c = Native.load("c", LibC.class);
            c.malloc_trim(0); // glibc only: throws UnsatisfiedLinkError elsewhere
            return c;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return null;
        }
    }

    /** True when glibc's heap calls are available. */
    public static boolean available() {
        return C != null;
    }

    /**
     * Applies the settings above; true when glibc took all of them. Idempotent. The arena cap binds
     * threads that first allocate after the call, so the CLI calls this before libtorch starts its
     * threads; the thresholds apply to every arena from the call on.
     */
    public static boolean configure(int arenas) {
        if (C == null) {
            return false;
        }
        boolean ok = C.mallopt(M_ARENA_MAX, arenas) == 1;
        ok &= C.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX) == 1;
        ok &= C.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1;
        ok &= C.mallopt(M_TOP_PAD, HEAP_SIZE) == 1;
        return ok;
    }
}
