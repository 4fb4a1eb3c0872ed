package ddpo4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** GPT-2 bytes_to_unicode table and UTF-8 round trips. */
class ByteEncoderTest {
    @Test
    void tableHas256DistinctPrintableEntries() {
        Map<Integer, Character> table = ByteEncoder.table();
        assertEquals(256, table.size());
        Set<Character> symbols = new HashSet<>(table.values());
        assertEquals(256, symbols.size());
        for (char c : symbols) {
            assertEquals(false, Character.isWhitespace(c) || Character.isISOControl(c), "symbol " + (int) c);
        }
        // Python dict order: the 188 printable bytes first, then the shifted ones.
        assertEquals(List.of(33, 34), table.keySet().stream().limit(2).toList());
        assertEquals(0, table.keySet().stream().skip(188).findFirst().orElseThrow());
    }

    @Test
    void knownEntries() {
        assertEquals('\u0120', ByteEncoder.symbol(32));   // space -> Ġ
        assertEquals('!', ByteEncoder.symbol(33));
        assertEquals('~', ByteEncoder.symbol(126));
        assertEquals('\u0100', ByteEncoder.symbol(0));
        assertEquals('\u010A', ByteEncoder.symbol(10));   // newline -> Ċ
        assertEquals('\u0121', ByteEncoder.symbol(127));  // DEL
        assertEquals('\u0142', ByteEncoder.symbol(160));  // NBSP
        assertEquals('\u0143', ByteEncoder.symbol(173));  // soft hyphen, the last shifted byte
        assertEquals('\u00E9', ByteEncoder.symbol(0xE9));
        assertEquals(32, ByteEncoder.byteOf('\u0120'));
        assertEquals(-1, ByteEncoder.byteOf('\u0144'));
        assertEquals(-1, ByteEncoder.byteOf(' '));
    }

    @Test
    void encodesUtf8BytesAndDecodesBack() {
        assertEquals("cafÃ©", ByteEncoder.encode("café"));          // é = C3 A9
        assertEquals("âĺĨ", ByteEncoder.encode("☆"));                // E2 98 86
        for (String s : List.of("", "a photo", "Café ☆ 猫 \uD83D\uDE00")) {
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), ByteEncoder.decode(ByteEncoder.encode(s)));
        }
    }
}
