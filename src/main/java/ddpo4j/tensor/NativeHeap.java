package ddpo4j.tensor;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * glibc's heap, seen from Java. libtorch frees its tensors with {@code free}, but glibc keeps freed
 * pages inside its per-thread arenas (64 MiB each, one per thread that ever allocated: the trainer,
 * the reward pool, the JIT compilers); in a training run that held a third of the process's RSS.
 * Capping the arenas and trimming them after each phase hands those pages back to the OS.
 * Without glibc (musl, macOS) both calls are no-ops.
 */
public final class NativeHeap {
    /** {@code M_ARENA_MAX} of glibc's malloc.h. */
    private static final int M_ARENA_MAX = -8;
    private static final LibC C = load();

    interface LibC extends Library {
        int malloc_trim(long pad);

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

    /** Caps the number of malloc arenas for threads that allocate from now on. */
    public static void limitArenas(int arenas) {
        if (C != null) {
            C.mallopt(M_ARENA_MAX, arenas);
        }
    }

    /** Returns free heap pages of every arena to the OS; true when some memory was released. */
    public static boolean trim() {
        return C != null && C.malloc_trim(0) == 1;
    }
}
