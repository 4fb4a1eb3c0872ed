package ddpo4j.rewards.combine;

import ddpo4j.rewards.RewardException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the body of a {@code sum:} spec: terms joined by {@code +}, each {@code [WEIGHT*]COMPONENT},
 * where a component is a reward spec, {@code (spec)} (needed when the spec holds a {@code +}), or
 * {@code norm(spec)} for a component standardized by its running mean and std. Weights are decimal
 * numbers ({@code 0.5}, {@code -2}, {@code 1e-3}); a missing weight is 1.
 * Example: {@code sum:0.5*jpeg_compressibility+2*norm(http:url=http://127.0.0.1:8000/score)}.
 */
public final class WeightedSumSpec {
    /** One summand: {@code weight} times the (optionally normalized) score of reward {@code spec}. */
    public record Term(double weight, boolean normalize, String spec) {}

    private static final Pattern WEIGHTED = Pattern.compile("([+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE]-?\\d+)?)\\s*\\*(.*)",
            Pattern.DOTALL);

    private WeightedSumSpec() {}

    public static List<Term> parse(String body) {
        List<Term> terms = new ArrayList<>();
        for (String part : splitTopLevel(body)) {
            terms.add(term(body, part.strip()));
        }
        return terms;
    }

    private static Term term(String body, String text) {
        if (text.isEmpty()) {
            throw error(body, "an empty term (stray '+'?)");
        }
        double weight = 1;
        Matcher m = WEIGHTED.matcher(text);
        if (m.matches()) {
            weight = Double.parseDouble(m.group(1));
            text = m.group(2).strip();
        }
        boolean normalize = false;
        if (text.startsWith("norm(") && text.endsWith(")")) {
            normalize = true;
            text = text.substring(5, text.length() - 1).strip();
        } else if (text.startsWith("(") && text.endsWith(")")) {
            text = text.substring(1, text.length() - 1).strip();
        }
        if (text.isEmpty()) {
            throw error(body, "a term has a weight but no reward");
        }
        return new Term(weight, normalize, text);
    }

    /** Splits at each {@code +} outside parentheses and quotes. */
    private static List<String> splitTopLevel(String body) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (--depth < 0) {
                    throw error(body, "unbalanced ')'");
                }
            } else if (c == '+' && depth == 0) {
                parts.add(body.substring(start, i));
                start = i + 1;
            }
        }
        if (quote != 0 || depth != 0) {
            throw error(body, quote != 0 ? "unterminated " + quote + " quote" : "unbalanced '('");
        }
        parts.add(body.substring(start));
        return parts;
    }

    private static RewardException error(String body, String what) {
        return new RewardException("reward spec 'sum:" + body + "': " + what);
    }
}
