package ddpo4j.world;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/** Count words of captions: "a"/"an"/"one" … "ten"; digits are read too. */
public final class CountWords {
    private static final List<String> WORDS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine", "ten");

    private CountWords() {}

    /** The word for {@code n} in 1..10 ("three"); 1 is "a" when {@code article} is true. */
    public static String word(int n, boolean article) {
        if (n < 1 || n >= WORDS.size()) {
            throw new IllegalArgumentException("no count word for " + n + " (1..10)");
        }
        return n == 1 && article ? "a" : WORDS.get(n);
    }

    /** The number a count word or digit string stands for ("a", "an", "one" → 1; "3" → 3). */
    public static OptionalInt parse(String token) {
        String t = token.strip().toLowerCase(Locale.ROOT);
        if (t.equals("a") || t.equals("an")) {
            return OptionalInt.of(1);
        }
        int i = WORDS.indexOf(t);
        if (i >= 0) {
            return OptionalInt.of(i);
        }
        if (!t.isEmpty() && t.length() <= 3 && t.chars().allMatch(Character::isDigit)) {
            return OptionalInt.of(Integer.parseInt(t));
        }
        return OptionalInt.empty();
    }
}
