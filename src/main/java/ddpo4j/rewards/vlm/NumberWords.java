package ddpo4j.rewards.vlm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whole numbers written as digits or English words ("3", "three", "twenty-one", "twenty one"),
 * as a VLM writes counts.
 */
final class NumberWords {
    private static final Map<String, Integer> UNITS = Map.ofEntries(
            Map.entry("zero", 0), Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3),
            Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7),
            Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10), Map.entry("eleven", 11),
            Map.entry("twelve", 12), Map.entry("thirteen", 13), Map.entry("fourteen", 14), Map.entry("fifteen", 15),
            Map.entry("sixteen", 16), Map.entry("seventeen", 17), Map.entry("eighteen", 18),
            Map.entry("nineteen", 19));
    private static final Map<String, Integer> TENS = Map.of("twenty", 20, "thirty", 30, "forty", 40, "fifty", 50,
            "sixty", 60, "seventy", 70, "eighty", 80, "ninety", 90);
    private static final Pattern TOKEN = Pattern.compile("[a-z]+|\\d+");

    private NumberWords() {}

    /** {@code text} as a whole is one number ("3", " Three ", "twenty-one"); empty otherwise. */
    static OptionalInt parseWhole(String text) {
        List<String> tokens = tokens(text);
        if (tokens.isEmpty()) {
            return OptionalInt.empty();
        }
        int[] consumed = new int[1];
        OptionalInt n = numberAt(tokens, 0, consumed);
        return n.isPresent() && consumed[0] == tokens.size() && String.join("", tokens).length()
                == text.replaceAll("[\\s-]", "").length() ? n : OptionalInt.empty();
    }

    /**
     * The first number mentioned in {@code text}; "no" or "none" count as 0 only when no other
     * number appears ("There are no red circles" is 0, "No, there are three" is 3).
     */
    static OptionalInt firstNumber(String text) {
        List<String> tokens = tokens(text);
        boolean sawNone = false;
        for (int i = 0; i < tokens.size(); i++) {
            OptionalInt n = numberAt(tokens, i, new int[1]);
            if (n.isPresent()) {
                return n;
            }
            sawNone |= tokens.get(i).equals("no") || tokens.get(i).equals("none");
        }
        return sawNone ? OptionalInt.of(0) : OptionalInt.empty();
    }

    private static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** The number starting at token {@code i}, and how many tokens it spans. */
    private static OptionalInt numberAt(List<String> tokens, int i, int[] consumed) {
        String t = tokens.get(i);
        if (Character.isDigit(t.charAt(0))) {
            consumed[0] = 1;
            return t.length() <= 9 ? OptionalInt.of(Integer.parseInt(t)) : OptionalInt.empty();
        }
        Integer unit = UNITS.get(t);
        if (unit != null) {
            consumed[0] = 1;
            return OptionalInt.of(unit);
        }
        Integer tens = TENS.get(t);
        if (tens != null) {
            Integer next = i + 1 < tokens.size() ? UNITS.get(tokens.get(i + 1)) : null;
            if (next != null && next >= 1 && next <= 9) {
                consumed[0] = 2;
                return OptionalInt.of(tens + next);
            }
            consumed[0] = 1;
            return OptionalInt.of(tens);
        }
        return OptionalInt.empty();
    }
}
