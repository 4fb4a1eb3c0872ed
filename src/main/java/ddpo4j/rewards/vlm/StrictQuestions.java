package ddpo4j.rewards.vlm;

import ddpo4j.rewards.RewardException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The questions asked about one image in strict mode, with the answers that satisfy them, taken
 * from the prompt's metadata, and the check of a VLM's answer against them.
 *
 * <p>Metadata either lists them, as ddpo-pytorch's counting prompts do:
 * {@code {"questions": ["How many red circles are in this image?"], "answers": ["three"]}}, or
 * describes a counting prompt, {@code {"count": 3, "color": "red", "noun": "circle"}} ({@code color}
 * optional, {@code plural} overrides the English plural of {@code noun}), from which a template
 * builds one question whose answer is the count.
 */
final class StrictQuestions {
    /** The default template: {@code {color}} is dropped when the metadata has none. */
    static final String DEFAULT_TEMPLATE = "How many {color} {nouns} are in this image?";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)\\}");
    private static final Map<String, String> IRREGULAR = Map.ofEntries(Map.entry("person", "people"),
            Map.entry("man", "men"), Map.entry("woman", "women"), Map.entry("child", "children"),
            Map.entry("mouse", "mice"), Map.entry("goose", "geese"), Map.entry("foot", "feet"),
            Map.entry("tooth", "teeth"), Map.entry("sheep", "sheep"), Map.entry("fish", "fish"),
            Map.entry("deer", "deer"), Map.entry("leaf", "leaves"), Map.entry("knife", "knives"),
            Map.entry("wolf", "wolves"), Map.entry("cactus", "cacti"));

    /** One question and the answer that satisfies it. */
    record Question(String text, String expected) {}

    private StrictQuestions() {}

    /**
     * The questions for sample {@code sample}; {@code template} (null for the default) is used only
     * when the metadata has no {@code questions}.
     */
    static List<Question> forSample(Map<String, Object> metadata, String template, int sample) {
        Object qs = metadata.get("questions");
        if (qs != null) {
            List<String> questions = strings(qs, "questions", sample);
            List<String> answers = strings(metadata.get("answers"), "answers", sample);
            if (questions.size() != answers.size() || questions.isEmpty()) {
                throw new RewardException("reward 'vlm': sample " + sample + " has " + questions.size()
                        + " questions and " + answers.size() + " answers in its metadata");
            }
            List<Question> out = new ArrayList<>();
            for (int i = 0; i < questions.size(); i++) {
                out.add(new Question(questions.get(i), answers.get(i)));
            }
            return out;
        }
        if (metadata.get("count") != null && metadata.get("noun") != null) {
            Object count = metadata.get("count");
            if (NumberWords.parseWhole(String.valueOf(count)).isEmpty()) {
                throw new RewardException("reward 'vlm': sample " + sample + " has count " + count
                        + ", not a whole number");
            }
            return List.of(new Question(fill(template, metadata, sample), String.valueOf(count)));
        }
        throw new RewardException("reward 'vlm' (mode=strict): the metadata of sample " + sample
                + " has neither \"questions\" + \"answers\" nor \"count\" + \"noun\": " + metadata);
    }

    /** The template with {@code {nouns}} (plural of noun) and every {@code {field}} of the metadata filled in. */
    static String fill(String template, Map<String, Object> metadata, int sample) {
        String t = template == null ? DEFAULT_TEMPLATE : template;
        Matcher m = PLACEHOLDER.matcher(t);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String value;
            if (key.equals("nouns")) {
                Object plural = metadata.get("plural");
                value = plural != null ? plural.toString() : plural(String.valueOf(metadata.get("noun")));
            } else if (metadata.get(key) != null) {
                value = metadata.get(key).toString();
            } else if (key.equals("color")) {
                value = "";
            } else {
                throw new RewardException("reward 'vlm': question template " + t + " needs \"" + key
                        + "\", missing from the metadata of sample " + sample);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString().replaceAll(" {2,}", " ").strip();
    }

    /** English plural of a lower-case noun or noun phrase (its last word is inflected). */
    static String plural(String noun) {
        int space = noun.lastIndexOf(' ');
        String head = noun.substring(0, space + 1);
        String w = noun.substring(space + 1);
        String lower = w.toLowerCase(Locale.ROOT);
        if (IRREGULAR.containsKey(lower)) {
            return head + IRREGULAR.get(lower);
        }
        if (lower.matches(".*(s|x|z|ch|sh)")) {
            return head + w + "es";
        }
        if (lower.matches(".*[^aeiou]y")) {
            return head + w.substring(0, w.length() - 1) + "ies";
        }
        return head + w + "s";
    }

    /**
     * Whether {@code answer} satisfies {@code expected}. A number (digits or words) is compared by
     * value with the first number the answer mentions ("three" matches "There are 3 circles");
     * anything else must appear in the answer, ignoring case. ddpo-pytorch checks
     * {@code expected in answer}, case-sensitively, for both.
     */
    static boolean satisfied(String expected, String answer) {
        OptionalInt want = NumberWords.parseWhole(expected);
        if (want.isPresent()) {
            OptionalInt got = NumberWords.firstNumber(answer);
            return got.isPresent() && got.getAsInt() == want.getAsInt();
        }
        return answer.toLowerCase(Locale.ROOT).contains(expected.strip().toLowerCase(Locale.ROOT));
    }

    private static List<String> strings(Object v, String key, int sample) {
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object o : list) {
                if (o == null || o instanceof Map || o instanceof List) {
                    throw new RewardException("reward 'vlm': metadata \"" + key + "\" of sample " + sample
                            + " must list strings or numbers, got " + v);
                }
                out.add(o.toString());
            }
            return out;
        }
        throw new RewardException("reward 'vlm': metadata \"" + key + "\" of sample " + sample
                + " must be a list, got " + v);
    }
}
