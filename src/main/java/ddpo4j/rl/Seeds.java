package ddpo4j.rl;

import java.util.SplittableRandom;

/**
 * Every random draw of a run derives from (seed, epoch, purpose), so a resumed run draws exactly
 * what an uninterrupted one would without saving generator state.
 */
public final class Seeds {
    public static final int PROMPTS = 1;
    public static final int SHUFFLE = 2;
    public static final int LORA_INIT = 3;

    private Seeds() {}

    public static SplittableRandom stream(long seed, long epoch, int purpose, long extra) {
        long z = seed;
        for (long part : new long[] {epoch, purpose, extra}) {
            z = mix(z * 0x9E3779B97F4A7C15L + part);
        }
        return new SplittableRandom(z);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
