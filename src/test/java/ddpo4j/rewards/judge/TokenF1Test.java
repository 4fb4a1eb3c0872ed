package ddpo4j.rewards.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenF1Test {
    @Test
    void countsOverlapAsMultisetsWithCountWordsInOneSpelling() {
        // candidate: one, red, circle, and, two, blue, squares (7); reference: one, red, circle (3)
        TokenF1 f = TokenF1.of("a red circle and two blue squares", "one red circle");
        assertEquals(3 / 7.0, f.precision(), 1e-12);
        assertEquals(1.0, f.recall(), 1e-12);
        assertEquals(2 * (3 / 7.0) / (3 / 7.0 + 1), f.f1(), 1e-12);

        TokenF1 wrongCount = TokenF1.of("two red circles", "three red circles");
        assertEquals(2 / 3.0, wrongCount.f1(), 1e-12);

        // "red red" against one "red": the multiset intersection counts it once
        TokenF1 repeated = TokenF1.of("red red", "red square");
        assertEquals(0.5, repeated.precision(), 1e-12);
        assertEquals(0.5, repeated.recall(), 1e-12);
        assertEquals(0.5, repeated.f1(), 1e-12);

        assertEquals(0.0, TokenF1.of("nothing", "three red circles").f1());
        assertEquals(0.0, TokenF1.of("", "").f1());
        assertEquals(1.0, TokenF1.of("Three red circles.", "3 RED circles").f1(), 1e-12);
    }

    @Test
    void tokensAreLowerCaseWordsWithCountWordsNormalized() {
        assertEquals(List.of("one", "green", "square", "on", "one", "white", "background"),
                TokenF1.tokens("An green square, on a WHITE background"));
        assertEquals(List.of("four", "circles"), TokenF1.tokens("4 circles"));
    }
}
