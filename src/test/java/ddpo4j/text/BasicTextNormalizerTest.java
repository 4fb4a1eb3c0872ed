package ddpo4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** BERT basic normalization by hand: accents, control chars, punctuation, CJK, never-split tokens. */
class BasicTextNormalizerTest {
    private final BasicTextNormalizer plain = new BasicTextNormalizer();

    @Test
    void lowerCasesAndStripsAccents() {
        assertEquals("cafe naive resume", plain.normalize("Café NAÏVE résumé"));
        // Decomposed input (e + combining acute) ends the same way.
        assertEquals("cafe", plain.normalize("cafe\u0301"));
        assertEquals("straße", plain.normalize("Straße")); // ß has no decomposition
    }

    @Test
    void dropsControlCharsAndNormalizesWhitespace() {
        assertEquals("ab c", plain.normalize("a\u0000b\uFFFD\u0007\u200B \t\n\r c"));
        assertEquals("a b", plain.normalize("a\u00A0b"));   // Zs becomes a space
        assertEquals("a b", plain.normalize("a\u2028b"));   // Zl survives cleaning but str.split() splits on it
        assertEquals("ab", plain.normalize("a\u000Bb"));    // vertical tab is Cc: removed, not a space
        assertEquals("ab", plain.normalize("a\uE000b"));    // private use (Co) removed too
        assertEquals("", plain.normalize(" \t\n "));
    }

    @Test
    void splitsEveryPunctuationCharIntoItsOwnWord() {
        assertEquals(List.of("dog", "!", "!"), plain.words("Dog!!"));
        assertEquals(List.of("astronaut", "'", "s"), plain.words("astronaut's"));
        assertEquals(List.of("4k", ":", "#", "1"), plain.words("4k: #1"));
        assertEquals(List.of("$", "5", "+", "3", "=", "8", "^", "`", "~"), plain.words("$5+3=8^`~"));
        // Unicode P* too: em dash, guillemets, inverted question mark; but not symbols (So/Sm).
        assertEquals(List.of("a", "—", "«", "b", "»", "¿", "c", "€×"), plain.words("a—«b»¿c €×"));
    }

    @Test
    void spacesOutCjkIdeographsButNotKana() {
        assertEquals(List.of("a", "猫", "犬", "b"), plain.words("a猫犬b"));
        assertEquals(List.of("ねこ"), plain.words("ねこ"));
        assertEquals(List.of("𠀀", "x"), plain.words("\uD840\uDC00x")); // U+20000, extension B
    }

    @Test
    void neverSplitTokensAreKeptIntact() {
        BasicTextNormalizer n = new BasicTextNormalizer(Set.of("<|startoftext|>", "<|endoftext|>"));
        assertEquals(List.of("<|startoftext|>", "a", "cat", "<|endoftext|>"),
                n.words("<|startoftext|> A Cat <|endoftext|>"));
        // Only whole whitespace-delimited tokens are protected.
        assertEquals(List.of("x", "<", "|", "endoftext", "|", ">"), n.words("x<|endoftext|>"));
        assertEquals(List.of("<", "|", "endoftext", "|", ">"), plain.words("<|endoftext|>"));
    }

    @Test
    void pythonLowerSpecialCases() {
        assertEquals("i", plain.normalize("İ"));           // lower() gives i + U+0307, a Mn mark, stripped
        assertEquals("\u03bf\u03b4\u03bf\u03c2", plain.normalize("ΟΔΟΣ")); // final sigma, as Python's lower()
    }
}
