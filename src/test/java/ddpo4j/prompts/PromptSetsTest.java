package ddpo4j.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.Ddpo4jException;
import ddpo4j.world.CaptionParser;
import ddpo4j.world.NamedColor;
import ddpo4j.world.SceneSpec;
import ddpo4j.world.ShapeKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptSetsTest {
    @TempDir
    Path tmp;

    @Test
    void countingSplitsAreDisjointAndCoverEveryCombination() {
        PromptSet train = PromptSets.get("counting-train");
        PromptSet held = PromptSets.get("counting-heldout");
        PromptSet all = PromptSets.get("counting-all");
        assertEquals(40, train.size());
        assertEquals(8, held.size());
        assertEquals(48, all.size());
        Set<String> t = new HashSet<>(train.texts());
        Set<String> h = new HashSet<>(held.texts());
        assertEquals(40, t.size());
        assertTrue(h.stream().noneMatch(t::contains));
        Set<String> union = new HashSet<>(t);
        union.addAll(h);
        assertEquals(new HashSet<>(all.texts()), union);
        for (PromptSample p : held.prompts()) {
            String pair = p.metadata().get("color") + " " + p.metadata().get("shape");
            assertTrue(pair.equals("green triangle") || pair.equals("blue square"), p.prompt());
        }
        // every colour and every kind still appears in training
        Set<Object> colors = new HashSet<>();
        Set<Object> shapes = new HashSet<>();
        train.prompts().forEach(p -> {
            colors.add(p.metadata().get("color"));
            shapes.add(p.metadata().get("shape"));
        });
        assertEquals(Set.of("red", "green", "blue", "yellow"), colors);
        assertEquals(Set.of("circle", "square", "triangle"), shapes);
    }

    @Test
    void countSplitsAndTwoGroupCompositionsAreWhatTheirNamesSay() {
        PromptSet low = PromptSets.get("counting-count1to3");
        PromptSet four = PromptSets.get("counting-count4");
        assertEquals(36, low.size());
        assertEquals(12, four.size());
        low.prompts().forEach(p -> assertTrue((Integer) p.metadata().get("count") <= 3, p.prompt()));
        four.prompts().forEach(p -> assertEquals(4, p.metadata().get("count"), p.prompt()));
        PromptSet two = PromptSets.get("counting-two-groups");
        assertEquals(16, two.size());
        Set<String> texts = new HashSet<>();
        Set<NamedColor> colors = new HashSet<>();
        Set<ShapeKind> kinds = new HashSet<>();
        for (PromptSample p : two.prompts()) {
            assertTrue(texts.add(p.prompt()), "distinct: " + p.prompt());
            SceneSpec spec = CaptionParser.parse(p.prompt()).orElseThrow(() -> new AssertionError(p.prompt()));
            assertEquals(2, spec.groups().size(), p.prompt());
            assertTrue(spec.groups().get(0).color() != spec.groups().get(1).color(), p.prompt());
            spec.groups().forEach(g -> {
                colors.add(g.color());
                kinds.add(g.kind());
            });
        }
        assertEquals(4, colors.size());
        assertEquals(3, kinds.size());
        assertEquals("one red circle and one green square", two.get(0).prompt());
    }

    @Test
    void countingMetadataAgreesWithTheText() {
        PromptSample first = PromptSets.get("counting-all").get(0);
        assertEquals("one red circle", first.prompt());
        assertEquals(Map.of("count", 1, "color", "red", "shape", "circle", "noun", "circle", "plural", "circles"),
                first.metadata());
        for (PromptSample p : PromptSets.get("counting-all").prompts()) {
            SceneSpec spec = CaptionParser.parse(p.prompt()).orElseThrow();
            assertEquals(p.metadata().get("count"), spec.groups().get(0).count());
            assertEquals(p.metadata().get("color"), spec.groups().get(0).color().word());
            assertEquals(p.metadata().get("shape"), spec.groups().get(0).kind().word());
        }
        PromptSample bg = CountingPrompts.prompt(3, NamedColor.RED, ShapeKind.TRIANGLE, NamedColor.BLUE);
        assertEquals("three red triangles on a blue background", bg.prompt());
        assertEquals("blue", bg.metadata().get("background"));
    }

    @Test
    void paperListsHaveTheReferenceSizes() {
        assertEquals(45, PromptSets.get("simple_animals").size());
        assertEquals(398, PromptSets.get("imagenet_animals").size());
        assertEquals(1000, PromptSets.get("imagenet_all").size());
        assertEquals(118, PromptSets.get("imagenet_dogs").size());
        assertEquals(135, PromptSets.get("nouns_activities").size());
        assertEquals("tench, Tinca tinca", PromptSets.get("imagenet_animals").get(0).prompt());
        assertEquals("mud turtle", PaperPrompts.imagenetAnimals().get(35));
        assertEquals("Chihuahua", PaperPrompts.imagenetDogs().get(0));
        assertEquals("Mexican hairless", PaperPrompts.imagenetDogs().get(117));
        assertEquals("toilet tissue, toilet paper, bathroom tissue", PaperPrompts.imagenetAll().get(999));
        List<String> na = PromptSets.get("nouns_activities").texts();
        assertEquals("a cat washing the dishes", na.get(0));
        assertEquals("a dog riding a bike", na.get(4));
        assertTrue(na.contains("an ant playing chess"), "inflect's a(): an ant");
        assertEquals("kangaroo", PaperPrompts.simpleAnimals().get(44));
    }

    @Test
    void articles() {
        assertEquals("an ant", PaperPrompts.withArticle("ant"));
        assertEquals("a hedgehog", PaperPrompts.withArticle("hedgehog"));
        assertEquals("an hour", PaperPrompts.withArticle("hour"));
        assertEquals("a unicorn", PaperPrompts.withArticle("unicorn"));
        assertEquals("an umbrella", PaperPrompts.withArticle("umbrella"));
        assertEquals("an elephant", PaperPrompts.withArticle("elephant"));
    }

    @Test
    void namesFilesAndErrors() throws Exception {
        assertEquals("counting-heldout", PromptSets.resolve("counting_heldout").name());
        assertEquals("simple_animals", PromptSets.resolve("simple-animals").name());
        Path f = tmp.resolve("p.txt");
        Files.writeString(f, "# two prompts\nthree red circles\n\na cat\n");
        PromptSet set = PromptSets.resolve(f.toString());
        assertEquals(List.of("three red circles", "a cat"), set.texts());
        assertTrue(set.get(0).metadata().isEmpty());
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> PromptSets.resolve("nope"));
        assertTrue(e.getMessage().contains("counting-train"), e.getMessage());
        assertFalse(PromptSets.exists("nope"));
    }

    @Test
    void promptFunctions() {
        SplittableRandom r = new SplittableRandom(0);
        Set<String> train = new HashSet<>(PromptSets.get("counting-train").texts());
        PromptSource counting = PromptFunctions.create("counting", Map.of());
        for (int i = 0; i < 200; i++) {
            PromptSample s = counting.draw(r);
            assertTrue(train.contains(s.prompt()), s.prompt());
            assertEquals(5, s.metadata().size());
        }
        PromptSource held = PromptFunctions.create("counting", Map.of("split", "heldout", "heldout", "red circle|yellow square",
                "max_count", "2"));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(held.draw(r).prompt());
        }
        assertEquals(Set.of("one red circle", "two red circles", "one yellow square", "two yellow squares"), seen);
        assertTrue(PromptFunctions.create("nouns_activities", Map.of()).draw(r).prompt().matches("an? \\w+ .+"));
        assertTrue(PaperPrompts.simpleAnimals().contains(PromptFunctions.create("simple_animals", Map.of()).draw(r).prompt()));
        assertTrue(PromptFunctions.create("set", Map.of("name", "imagenet_dogs")).draw(r).prompt().length() > 2);
        assertThrows(Ddpo4jException.class, () -> PromptFunctions.create("counting", Map.of("split", "test")));
        assertThrows(Ddpo4jException.class, () -> PromptFunctions.create("counting", Map.of("heldout", "purple circle")));
        assertThrows(Ddpo4jException.class, () -> PromptFunctions.create("imagenet_animals", Map.of("low", "0")));
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> PromptFunctions.create("nope", Map.of()));
        assertTrue(e.getMessage().contains("nouns_activities"), e.getMessage());
    }
}
