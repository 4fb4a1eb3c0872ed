package ddpo4j.tensor;

import java.util.SplittableRandom;

/**
 * Standard normal draws that are bit-for-bit repeatable: Box-Muller on StrictMath (fdlibm). The
 * JDK's {@code nextGaussian} and {@code Math.log/cos} may round differently once HotSpot compiles
 * them to intrinsics, which would make "deterministic given the seed" depend on JIT timing.
 */
public final class StrictGaussian {
    private StrictGaussian() {}

    public static double next(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble(); // (0, 1]
        double u2 = r.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    }
}
