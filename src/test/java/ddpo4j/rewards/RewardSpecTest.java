package ddpo4j.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RewardSpecTest {
    @Test
    void nameAlone() {
        RewardSpec s = RewardSpec.parse(" jpeg_compressibility ");
        assertEquals("jpeg_compressibility", s.name());
        assertEquals(Map.of(), s.options());
    }

    @Test
    void valuesMayHoldEqualsColonsAndSlashes() {
        RewardSpec s = RewardSpec.parse("http:url=http://127.0.0.1:8000/score?a=b,timeout=30");
        assertEquals("http", s.name());
        assertEquals(Map.of("url", "http://127.0.0.1:8000/score?a=b", "timeout", "30"), s.options());
        assertEquals(List.of("url", "timeout"), List.copyOf(s.options().keySet()), "order kept");
    }

    @Test
    void quotedValuesMayHoldCommas() {
        RewardSpec s = RewardSpec.parse("vlm:question=\"how many, roughly?\",note='a,b', x = \"say \\\"hi\\\"\"");
        assertEquals("how many, roughly?", s.options().get("question"));
        assertEquals("a,b", s.options().get("note"));
        assertEquals("say \"hi\"", s.options().get("x"));
        assertEquals("python3 -c 'print(1)'", RewardSpec.parse("command:cmd=\"python3 -c 'print(1)'\"").options().get("cmd"));
    }

    @Test
    void toStringRoundTrips() {
        for (String text : new String[] {"jpeg_compressibility", "http:url=http://a:1/b,timeout=30",
            "vlm:q=\"a, b\",cmd='it\"s'"}) {
            RewardSpec s = RewardSpec.parse(text);
            assertEquals(s, RewardSpec.parse(s.toString()), text);
        }
    }

    @Test
    void malformedSpecsAreErrorsThatSayWhy() {
        assertError("", "empty reward spec");
        assertError("http:", "nothing after ':'");
        assertError("http:url", "option 'url' has no '=value'");
        assertError("http:url=a,,timeout=3", "empty option");
        assertError("http:url=a,", "empty option");
        assertError("http:=3", "empty key");
        assertError("http:url=a,url=b", "option 'url' is given twice");
        assertError("http:url=\"a,b", "unterminated \" quote");
        assertError("http:url=\"a\"b", "unexpected text after the closing");
        assertError("my reward:x=1", "is not a reward name");
    }

    private static void assertError(String spec, String expected) {
        RewardException e = assertThrows(RewardException.class, () -> RewardSpec.parse(spec));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
