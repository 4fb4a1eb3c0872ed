package ddpo4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Locates the reference fixtures in {@code ../shared/fixtures} and compares arrays against them. */
public final class Fixtures {
    private Fixtures() {}

    /** The tiny-sd folder; skips the calling test with a message when it is absent. */
    public static Path tinySd() {
        Path dir = Path.of("..", "shared", "fixtures", "tiny-sd");
        Assumptions.assumeTrue(Files.isDirectory(dir),
                "../shared/fixtures/tiny-sd is absent: skipping the parity test against the PyTorch reference");
        return dir;
    }

    public static Path reference(String file) {
        return tinySd().resolve("reference").resolve(file);
    }

    /** Asserts equal shapes and max |a - e| <= tol, reporting the worst element. */
    public static void assertClose(float[] expected, NDArray actual, double tol, String what) {
        assertClose(expected, actual.toFloatArray(), tol, what);
    }

    /** Max |e - a| (infinite for NaN or a length mismatch). */
    public static double maxAbsDiff(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            }
        }
        return worst;
    }

    public static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertTrue(expected.length == actual.length,
                what + ": length " + actual.length + " differs from expected " + expected.length);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= worst)) { // also catches NaN
                worst = d;
                at = i;
            }
        }
        System.out.printf("parity %-28s max abs diff %.3g (tolerance %.0e)%n", what, worst, tol);
        if (!(worst <= tol)) {
            throw new AssertionError(what + ": max abs diff " + worst + " > " + tol + " at " + at + " (expected "
                    + expected[at] + ", got " + actual[at] + ")");
        }
    }

    public static void assertShape(long[] expected, NDArray actual, String what) {
        assertArrayEquals(expected, actual.getShape().getShape(), what + ": shape");
    }
}
