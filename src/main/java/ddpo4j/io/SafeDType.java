package ddpo4j.io;

/** The element types a safetensors file may hold that ddpo4j can read, with their on-disk width. */
public enum SafeDType {
    F64(8),
    F32(4),
    F16(2),
    BF16(2),
    I64(8),
    I32(4),
    I16(2),
    I8(1),
    U8(1),
    BOOL(1);

    private final int bytes;

    SafeDType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element on disk. */
    public int bytes() {
        return bytes;
    }

    /** True for F64, F32, F16 and BF16. */
    public boolean isFloat() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** True for the signed and unsigned integer types (not BOOL). */
    public boolean isInteger() {
        return this == I64 || this == I32 || this == I16 || this == I8 || this == U8;
    }

    /** The dtype spelled exactly as in a safetensors header, or null if ddpo4j does not know it. */
    public static SafeDType fromName(String name) {
        // Exact, case-sensitive match: the format spells dtypes in upper case only.
        for (SafeDType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
