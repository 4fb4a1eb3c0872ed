package ddpo4j.rewards.judge;

import ddpo4j.world.CountWords;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Bag-of-words overlap of a candidate text with a reference (SQuAD's token F1): both are split into
 * lower-case words, count words are written one way ("a", "an", "1" and "one" are all "one"), and
 * the overlap is the multiset intersection. Precision = overlap / candidate words, recall = overlap
 * / reference words, F1 their harmonic mean (0 when nothing overlaps). The shapes world's
 * stand-in for BERTScore: "two red circles" against "three red circles" scores 2/3.
 */
public record TokenF1(double precision, double recall, double f1) {

    public static TokenF1 of(String candidate, String reference) {
        List<String> cand = tokens(candidate);
        List<String> ref = tokens(reference);
        Map<String, Integer> left = new HashMap<>();
        ref.forEach(t -> left.merge(t, 1, Integer::sum));
        int common = 0;
        for (String t : cand) {
            Integer n = left.get(t);
            if (n != null && n > 0) {
                left.put(t, n - 1);
                common++;
            }
        }
        if (common == 0) {
            return new TokenF1(0, 0, 0);
        }
        double p = common / (double) cand.size();
        double r = common / (double) ref.size();
        return new TokenF1(p, r, 2 * p * r / (p + r));
    }

    /** Lower-case words (letters and digits), count words in one spelling. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.isEmpty()) {
                continue;
            }
            OptionalInt n = CountWords.parse(w);
            out.add(n.isPresent() && n.getAsInt() >= 1 && n.getAsInt() <= 10 ? CountWords.word(n.getAsInt(), false) : w);
        }
        return out;
    }
}
