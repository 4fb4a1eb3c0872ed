package ddpo4j.tensor;

/**
 * A CPU random generator that reproduces {@code torch.Generator().manual_seed(seed)} followed by
 * {@code torch.randn(n)} for float32 tensors of 16 or more elements: MT19937 seeded as torch seeds
 * it, 24-bit uniforms, and torch's Box-Muller over blocks of 16. Values can differ from torch's
 * vectorized kernel in the last bit of the log/sin/cos.
 */
public final class TorchGenerator {
    private static final int N = 624;
    private static final int M = 397;

    private final int[] mt = new int[N];
    private int next;

    public TorchGenerator(long seed) {
        mt[0] = (int) seed; // torch initializes from the low 32 bits
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        next = N; // twist before the first draw
    }

    /** The next 32 raw bits, as {@code std::mt19937} returns them. */
    public int nextInt() {
        if (next >= N) {
            twist();
        }
        int y = mt[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
            int v = mt[(i + M) % N] ^ (y >>> 1);
            if ((y & 1) != 0) {
                v ^= 0x9908b0df;
            }
            mt[i] = v;
        }
        next = 0;
    }

    /** A float uniform in [0, 1) from 24 random bits, as {@code at::uniform_real_distribution<float>}. */
    public float nextUniform() {
        return (nextInt() & 0xffffff) * 0x1.0p-24f;
    }

    /** Fills a new array with {@code n >= 16} standard normals exactly as torch.randn orders them. */
    public float[] randn(int n) {
        if (n < 16) {
            throw new IllegalArgumentException("torch-compatible randn needs at least 16 values, got " + n);
        }
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = nextUniform();
        }
        for (int i = 0; i + 16 <= n; i += 16) {
            boxMuller16(data, i);
        }
        if (n % 16 != 0) {
            // torch redraws the last 16 values so the tail is transformed as a full block
            int start = n - 16;
            for (int i = 0; i < 16; i++) {
                data[start + i] = nextUniform();
            }
            boxMuller16(data, start);
        }
        return data;
    }

    private static void boxMuller16(float[] d, int o) {
        for (int j = 0; j < 8; j++) {
            float u1 = 1f - d[o + j]; // (0, 1] for the log
            float u2 = d[o + j + 8];
            float radius = (float) Math.sqrt(-2f * (float) StrictMath.log(u1));
            float theta = 2.0f * (float) Math.PI * u2; // float, as torch's AVX2 kernel computes it
            d[o + j] = radius * (float) StrictMath.cos(theta);
            d[o + j + 8] = radius * (float) StrictMath.sin(theta);
        }
    }
}
