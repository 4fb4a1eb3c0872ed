package ddpo4j.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.Ddpo4jException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SceneGeneratorTest {
    private final SceneGenerator gen = new SceneGenerator(WorldConfig.DEFAULT);

    @Test
    void sameSeedAndIndexGiveTheSameExampleInAnyOrder() {
        WorldSample a = gen.sample(7, 3);
        gen.sample(7, 4);
        WorldSample b = new SceneGenerator(WorldConfig.DEFAULT).sample(7, 3);
        assertArrayEquals(a.image(), b.image());
        assertEquals(a.scene(), b.scene());
        assertEquals(a.caption(), b.caption());
        assertFalse(java.util.Arrays.equals(a.image(), gen.sample(7, 5).image()));
        assertFalse(java.util.Arrays.equals(a.image(), gen.sample(8, 3).image()));
        // a SplittableRandom stream is reproducible too
        assertEquals(gen.sample(new SplittableRandom(1)).caption(), gen.sample(new SplittableRandom(1)).caption());
    }

    @Test
    void captionsSayWhatIsDrawn() {
        Set<String> variants = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            WorldSample s = gen.sample(1, i);
            Scene scene = s.scene();
            SceneSpec parsed = CaptionParser.parse(s.caption()).orElseThrow(() -> new AssertionError(s.caption()));
            assertEquals(scene.spec().groups(), parsed.groups(), s.caption());
            if (parsed.background() != null) {
                assertEquals(scene.background(), parsed.background(), s.caption());
                variants.add("background");
            } else {
                variants.add("plain");
            }
            if (s.caption().startsWith("a ")) {
                variants.add("article");
            }
            if (s.caption().startsWith("one ")) {
                variants.add("one");
            }
            for (ShapeGroup g : scene.spec().groups()) {
                assertEquals(g.count(), scene.count(g.color(), g.kind()), s.caption());
            }
            assertEquals(scene.spec().totalShapes(), scene.shapes().size());
        }
        assertEquals(Set.of("background", "plain", "article", "one"), variants);
    }

    @Test
    void shapesAreInsideSeparatedAndNeverTheBackgroundColour() {
        WorldConfig cfg = WorldConfig.DEFAULT;
        Set<Integer> counts = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            Scene scene = gen.sample(2, i).scene();
            counts.add(scene.shapes().size());
            List<PlacedShape> shapes = scene.shapes();
            for (int a = 0; a < shapes.size(); a++) {
                PlacedShape s = shapes.get(a);
                assertTrue(s.x() >= cfg.margin() && s.y() >= cfg.margin() && s.x() + s.size() <= 64 - cfg.margin()
                        && s.y() + s.size() <= 64 - cfg.margin(), s.toString());
                assertTrue(s.size() >= 10 && s.size() <= 16, s.toString());
                assertNotEquals(scene.background(), s.color());
                for (int b = a + 1; b < shapes.size(); b++) {
                    assertFalse(s.closerThan(shapes.get(b), cfg.gap()), s + " vs " + shapes.get(b));
                }
            }
        }
        assertEquals(Set.of(1, 2, 3, 4), counts);
    }

    @Test
    void everyPixelIsANamedColourWithoutAntiAliasing() {
        WorldSample s = gen.sample(3, 0);
        float[] img = s.image();
        assertEquals(3 * 64 * 64, img.length);
        int plane = 64 * 64;
        Set<NamedColor> seen = new HashSet<>();
        for (int p = 0; p < plane; p++) {
            NamedColor match = null;
            for (NamedColor c : NamedColor.values()) {
                if (c.distance(img[p], img[plane + p], img[2 * plane + p]) < 1e-3) {
                    match = c;
                }
            }
            assertTrue(match != null, "pixel " + p + " is not a named colour");
            seen.add(match);
        }
        Set<NamedColor> expected = new HashSet<>();
        expected.add(s.scene().background());
        s.scene().shapes().forEach(x -> expected.add(x.color()));
        assertEquals(expected, seen);
    }

    @Test
    void placesAGivenSpecAndPicksAFreeBackground() {
        SceneSpec spec = SceneSpec.of(4, NamedColor.RED, ShapeKind.TRIANGLE, null);
        for (int i = 0; i < 50; i++) {
            Scene scene = gen.place(spec, new SplittableRandom(i));
            assertEquals(4, scene.count(NamedColor.RED, ShapeKind.TRIANGLE));
            assertNotEquals(NamedColor.RED, scene.background());
        }
        Scene blue = gen.place(SceneSpec.of(2, NamedColor.RED, ShapeKind.CIRCLE, NamedColor.BLUE), new SplittableRandom(0));
        assertEquals(NamedColor.BLUE, blue.background());
    }

    @Test
    void otherSizesAndMixedScenes() {
        SceneGenerator big = new SceneGenerator(WorldConfig.DEFAULT.withSize(128, 96).withShapes(2, 6, 3));
        boolean mixed = false;
        for (int i = 0; i < 100; i++) {
            WorldSample s = big.sample(0, i);
            assertEquals(3 * 128 * 96, s.image().length);
            assertTrue(s.scene().shapes().size() >= 2 && s.scene().shapes().size() <= 6);
            mixed |= s.scene().spec().groups().size() > 1;
            assertEquals(s.scene().spec().groups(), CaptionParser.parse(s.caption()).orElseThrow().groups());
        }
        assertTrue(mixed);
    }

    @Test
    void badConfigsAreRefused() {
        assertThrows(Ddpo4jException.class, () -> WorldConfig.DEFAULT.withShapes(0, 3, 1));
        assertThrows(Ddpo4jException.class, () -> WorldConfig.DEFAULT.withSize(8, 8));
        WorldConfig huge = new WorldConfig(64, 64, 4, 4, 1, WorldConfig.SHAPE_COLORS, List.of(ShapeKind.values()),
                WorldConfig.BACKGROUNDS, 0.4, 0.5, 0.5, 0.5, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SceneGenerator(huge).sample(0, 0));
        assertTrue(e.getMessage().contains("cannot fit 4 shapes"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SceneSpec.of(1, NamedColor.RED, ShapeKind.CIRCLE, NamedColor.RED));
    }
}
