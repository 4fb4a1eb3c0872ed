package ddpo4j.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CLIP's pre-tokenization regex: cuts normalized text into letter runs, single digits and symbol runs. */
final class ClipWordSplitter {
    /**
     * CLIP's {@code <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+}
     * with re.IGNORECASE. Case-insensitivity is scoped to the literals, the only part it can affect
     * (letters stay letters under case folding); UNICODE_CHARACTER_CLASS makes \s Unicode White_Space
     * like Python's {@code regex} module.
     */
    private static final Pattern PATTERN = Pattern.compile(
            "(?iu:<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d)"
                    + "|\\p{L}+|\\p{N}|[^\\s\\p{L}\\p{N}]+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private ClipWordSplitter() {}

    /** The regex matches of {@code text} in order ({@code re.findall}); unmatched whitespace is dropped. */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = PATTERN.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
