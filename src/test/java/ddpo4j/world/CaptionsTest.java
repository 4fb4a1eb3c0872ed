package ddpo4j.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionsTest {
    @Test
    void writesTheGrammar() {
        ShapeGroup twoRedCircles = new ShapeGroup(2, NamedColor.RED, ShapeKind.CIRCLE);
        assertEquals("two red circles on a blue background", Captions.write(List.of(twoRedCircles), NamedColor.BLUE, true));
        assertEquals("two red circles", Captions.write(List.of(twoRedCircles), null, true));
        ShapeGroup one = new ShapeGroup(1, NamedColor.RED, ShapeKind.CIRCLE);
        assertEquals("a red circle", Captions.write(List.of(one), null, true));
        assertEquals("one red circle", Captions.write(List.of(one), null, false));
        assertEquals("one green square and three yellow triangles",
                Captions.write(List.of(new ShapeGroup(1, NamedColor.GREEN, ShapeKind.SQUARE),
                        new ShapeGroup(3, NamedColor.YELLOW, ShapeKind.TRIANGLE)), null, false));
        assertEquals("a red circle, two blue squares and four green triangles on a white background",
                Captions.write(List.of(one, new ShapeGroup(2, NamedColor.BLUE, ShapeKind.SQUARE),
                        new ShapeGroup(4, NamedColor.GREEN, ShapeKind.TRIANGLE)), NamedColor.WHITE, true));
    }

    @Test
    void parsesLeniently() {
        assertEquals(SceneSpec.of(3, NamedColor.RED, ShapeKind.CIRCLE, null), CaptionParser.parse("three red circles").get());
        assertEquals(SceneSpec.of(3, NamedColor.RED, ShapeKind.CIRCLE, NamedColor.GRAY),
                CaptionParser.parse("  Three RED circles on a grey background. ").get());
        assertEquals(SceneSpec.of(1, NamedColor.BLUE, ShapeKind.SQUARE, null), CaptionParser.parse("a blue square").get());
        assertEquals(SceneSpec.of(4, NamedColor.YELLOW, ShapeKind.TRIANGLE, null), CaptionParser.parse("4 yellow triangles").get());
        assertEquals(3, CaptionParser.parse("a red circle, two blue squares, and one green triangle").get().groups().size());
    }

    @Test
    void rejectsWhatIsNotACaptionOfThisWorld() {
        for (String s : List.of("a photo of a cat", "three circles", "three purple circles", "red circles",
                "two red circles on a background", "two red circles and two red circles", "zero red circles",
                "two red circles on a red background", "")) {
            assertTrue(CaptionParser.parse(s).isEmpty(), s);
        }
    }
}
