package ddpo4j.io;

/**
 * Bit-exact conversions between float32 and the 16-bit float formats (IEEE binary16 "F16" and
 * bfloat16 "BF16"), done in Java because Java 17 has none and DJL/PyTorch cannot be trusted with
 * BF16.
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** Widens IEEE binary16 bits (low 16 bits of {@code bits}) to float32, exactly. */
    public static float f16ToFloat(int bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            // Inf (mant == 0) or NaN; the payload moves to the top of the float32 mantissa.
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // Zero or subnormal: mant × 2^-24, exact in float32 since mant < 2^10.
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        // Normal: re-bias the exponent from 15 to 127.
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /**
     * Narrows float32 to IEEE binary16 bits, rounding to nearest, ties to even (as PyTorch does);
     * too large values become ±inf, NaN stays a (quiet) NaN.
     */
    public static short floatToF16(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int abs = x & 0x7fffffff;
        if (abs >= 0x7f800000) {
            if (abs == 0x7f800000) {
                return (short) (sign | 0x7c00);
            }
            // Keep the top payload bits and set the quiet bit so the result can never read as inf.
            return (short) (sign | 0x7e00 | ((abs >>> 13) & 0x3ff));
        }
        if (abs >= 0x477ff000) {
            // >= 65520, halfway between 65504 (max half, odd mantissa) and 2^16: ties go up to inf.
            return (short) (sign | 0x7c00);
        }
        if (abs >= 0x38800000) {
            // Normal half (>= 2^-14): re-bias exponent, drop 13 mantissa bits with rounding;
            // a carry out of the mantissa correctly bumps the exponent.
            int h = ((abs >>> 23) - 112) << 10 | ((abs >>> 13) & 0x3ff);
            return (short) (sign | roundShifted(h, abs & 0x1fff, 13));
        }
        if (abs <= 0x33000000) {
            // <= 2^-25, half of the smallest subnormal: rounds (ties to even) to zero.
            return (short) sign;
        }
        // Subnormal half: value in units of 2^-24 is m × 2^(e+1) with e the unbiased exponent.
        int m = (abs & 0x7fffff) | 0x800000;
        int shift = -((abs >>> 23) - 127 + 1); // 14..24
        int h = m >>> shift;
        return (short) (sign | roundShifted(h, m & ((1 << shift) - 1), shift));
    }

    /** Widens bfloat16 bits (low 16 bits) to float32: bf16 is the top half of a float32. */
    public static float bf16ToFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Narrows float32 to bfloat16 bits, rounding to nearest, ties to even; NaN stays NaN. */
    public static short floatToBf16(float f) {
        int x = Float.floatToRawIntBits(f);
        if ((x & 0x7fffffff) > 0x7f800000) {
            // NaN: truncating could clear every payload bit left and turn it into inf.
            return (short) ((x >>> 16) | 0x40);
        }
        return (short) ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16);
    }

    /** Rounds truncated value {@code h} up by one if the dropped bits {@code rest} (of width
     * {@code width}) are above half, or exactly half and {@code h} is odd. */
    private static int roundShifted(int h, int rest, int width) {
        int half = 1 << (width - 1);
        return rest > half || (rest == half && (h & 1) != 0) ? h + 1 : h;
    }
}
