package ddpo4j.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GPT-2's {@code bytes_to_unicode}: a reversible map from each byte to a printable character, so
 * BPE works on strings that never contain spaces or control characters.
 */
public final class ByteEncoder {
    private static final char[] BYTE_TO_CHAR = new char[256];
    /** Inverse table, indexed by char; -1 where a char stands for no byte. */
    private static final int[] CHAR_TO_BYTE = new int[256 + 68];

    static {
        // Printable Latin-1 bytes stand for themselves; the 68 others (control, space, DEL, NBSP,
        // soft hyphen) are shifted to U+0100.. in byte order, exactly as the Python loop does.
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            BYTE_TO_CHAR[b] = (char) (printable ? b : 256 + n++);
        }
        Arrays.fill(CHAR_TO_BYTE, -1);
        for (int b = 0; b < 256; b++) {
            CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = b;
        }
    }

    private ByteEncoder() {}

    /** The character that stands for byte {@code b} (0..255). */
    public static char symbol(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte that {@code c} stands for, or -1 if it is not one of the 256 symbols. */
    public static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The whole table in Python's dict order (printable bytes first), for inspection. */
    public static Map<Integer, Character> table() {
        Map<Integer, Character> m = new LinkedHashMap<>();
        for (int pass = 0; pass < 2; pass++) {
            for (int b = 0; b < 256; b++) {
                boolean identity = BYTE_TO_CHAR[b] == b;
                if (identity == (pass == 0)) {
                    m.put(b, BYTE_TO_CHAR[b]);
                }
            }
        }
        return m;
    }

    /** UTF-8 bytes of {@code text}, one symbol per byte. */
    public static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(out);
    }

    /** The bytes {@code symbols} stand for; a char outside the table contributes its own UTF-8 bytes. */
    public static byte[] decode(CharSequence symbols) {
        byte[] out = new byte[symbols.length() * 3];
        int n = 0;
        for (int i = 0; i < symbols.length(); i++) {
            char c = symbols.charAt(i);
            int b = byteOf(c);
            if (b >= 0) {
                out[n++] = (byte) b;
            } else {
                // Lenient for hand-edited vocabularies; transformers would raise a KeyError here.
                for (byte x : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    out[n++] = x;
                }
            }
        }
        return Arrays.copyOf(out, n);
    }
}
