package ddpo4j.rewards.vlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.rewards.RewardException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Questions from metadata, English plurals, and matching answers (numbers by value). */
class StrictQuestionsTest {
    @Test
    void numbersAsDigitsOrWords() {
        assertEquals(OptionalInt.of(3), NumberWords.parseWhole("3"));
        assertEquals(OptionalInt.of(3), NumberWords.parseWhole(" Three "));
        assertEquals(OptionalInt.of(21), NumberWords.parseWhole("twenty-one"));
        assertEquals(OptionalInt.empty(), NumberWords.parseWhole("3 cats"));
        assertEquals(OptionalInt.empty(), NumberWords.parseWhole("3.5"));
        assertEquals(OptionalInt.empty(), NumberWords.parseWhole("dog"));

        assertEquals(OptionalInt.of(3), NumberWords.firstNumber("There are three red circles."));
        assertEquals(OptionalInt.of(42), NumberWords.firstNumber("I count forty two."));
        assertEquals(OptionalInt.of(3), NumberWords.firstNumber("No, there are 3."));
        assertEquals(OptionalInt.of(0), NumberWords.firstNumber("There are no red circles."));
        assertEquals(OptionalInt.of(0), NumberWords.firstNumber("None."));
        assertEquals(OptionalInt.empty(), NumberWords.firstNumber("Someone is often here."));
    }

    @Test
    void answersAreMatchedByNumberValueOrCaseInsensitiveContainment() {
        assertTrue(StrictQuestions.satisfied("three", "There are 3 red circles."));
        assertTrue(StrictQuestions.satisfied("3", "I see three."));
        assertFalse(StrictQuestions.satisfied("three", "There are thirty-three circles.")); // 'in' would accept it
        assertFalse(StrictQuestions.satisfied("2", "Three red circles and 2 blue ones.")); // the first count
        assertTrue(StrictQuestions.satisfied("0", "There are no circles."));
        assertTrue(StrictQuestions.satisfied("dog", "A Dog is sitting."));
        assertTrue(StrictQuestions.satisfied("cat", "Two cats.")); // substring, as ddpo-pytorch
        assertFalse(StrictQuestions.satisfied("cat", "A dog."));
    }

    @Test
    void pluralsOfCommonNouns() {
        assertEquals("circles", StrictQuestions.plural("circle"));
        assertEquals("boxes", StrictQuestions.plural("box"));
        assertEquals("butterflies", StrictQuestions.plural("butterfly"));
        assertEquals("monkeys", StrictQuestions.plural("monkey"));
        assertEquals("red foxes", StrictQuestions.plural("red fox"));
        assertEquals("people", StrictQuestions.plural("person"));
        assertEquals("sheep", StrictQuestions.plural("sheep"));
    }

    @Test
    void questionsFromFieldsOrLists() {
        List<StrictQuestions.Question> q = StrictQuestions.forSample(
                Map.of("count", 3, "color", "red", "noun", "circle"), null, 0);
        assertEquals(List.of(new StrictQuestions.Question("How many red circles are in this image?", "3")), q);
        q = StrictQuestions.forSample(Map.of("count", "two", "noun", "mouse"), null, 0);
        assertEquals(List.of(new StrictQuestions.Question("How many mice are in this image?", "two")), q);
        q = StrictQuestions.forSample(Map.of("count", 2, "noun", "octopus", "plural", "octopuses"), null, 0);
        assertEquals("How many octopuses are in this image?", q.get(0).text());
        q = StrictQuestions.forSample(Map.of("count", 1, "noun", "cat", "place", "sofa"),
                "How many {nouns} are on the {place}?", 0);
        assertEquals("How many cats are on the sofa?", q.get(0).text());

        q = StrictQuestions.forSample(Map.of("questions", List.of("How many dogs are there in this image?",
                "What animal is in this image?"), "answers", List.of("two", "dog")), null, 0);
        assertEquals(2, q.size());
        assertEquals("dog", q.get(1).expected());

        RewardException e = assertThrows(RewardException.class, () -> StrictQuestions.forSample(
                Map.of("questions", List.of("a?", "b?"), "answers", List.of("x")), null, 4));
        assertTrue(e.getMessage().contains("sample 4"), e.getMessage());
        e = assertThrows(RewardException.class,
                () -> StrictQuestions.forSample(Map.of("count", 1, "noun", "cat"), "How many {nouns} on the {place}?", 2));
        assertTrue(e.getMessage().contains("place") && e.getMessage().contains("sample 2"), e.getMessage());
        assertThrows(RewardException.class,
                () -> StrictQuestions.forSample(Map.of("count", "many", "noun", "cat"), null, 0));
        assertThrows(RewardException.class, () -> StrictQuestions.forSample(Map.of(), null, 0));
    }
}
