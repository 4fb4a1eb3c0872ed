package ddpo4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Python str semantics; expected values were produced by CPython 3.11 (Unicode 14). */
class PythonTextTest {
    @Test
    void lowerUsesPythonsFinalSigmaContext() {
        assertEquals("\u03bf\u03b4\u03bf\u03c2", PythonText.lower("ΟΔΟΣ"));     // final
        assertEquals("\u03c3", PythonText.lower("Σ"));                          // nothing cased before
        assertEquals("\u03c3\u03b1", PythonText.lower("ΣΑ"));
        assertEquals("\u03b11\u03c3", PythonText.lower("Α1Σ"));                 // digit is not case-ignorable
        assertEquals("\u03b1\u03c21", PythonText.lower("ΑΣ1"));
        assertEquals("\u03b1.\u03c2", PythonText.lower("Α.Σ"));                 // '.' is case-ignorable
        assertEquals("\u03b1\u03c2\u0301", PythonText.lower("ΑΣ\u0301"));
        assertEquals("\u03b1\u03c3\u0301\u03b2", PythonText.lower("ΑΣ\u0301Β"));
        assertEquals("\u03b1\u03c2\uac22", PythonText.lower("ΑΣ\uac22"));       // Java's toLowerCase says σ
        assertEquals("\uD801\uDC29\u03c2", PythonText.lower("\uD801\uDC01Σ"));  // supplementary cased letter
        assertEquals("i\u0307", PythonText.lower("İ"));
        assertEquals("abc", PythonText.lower("AbC"));
    }

    @Test
    void splitOnPythonWhitespace() {
        assertEquals(List.of("a", "b", "c", "d", "e"), PythonText.split("a\u2028b\u001cc\u0085d  e"));
        assertEquals(List.of(), PythonText.split("  \t "));
        assertEquals(List.of("x\u200By"), PythonText.split(" x\u200By "));       // ZWSP is not whitespace
    }
}
