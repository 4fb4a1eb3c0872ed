package ddpo4j.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * BERT's {@code BasicTokenizer(do_lower_case=True)} as transformers 4.30 runs it in CLIPTokenizer
 * when ftfy is absent: clean, space out CJK, lower-case, strip accents, split off punctuation.
 */
public final class BasicTextNormalizer {
    private final Set<String> neverSplit;

    public BasicTextNormalizer() {
        this(Set.of());
    }

    /** @param neverSplit whitespace-delimited tokens kept verbatim (not lower-cased, not split) */
    public BasicTextNormalizer(Collection<String> neverSplit) {
        this.neverSplit = Set.copyOf(neverSplit);
    }

    /** The words BasicTokenizer.tokenize returns. */
    public List<String> words(String text) {
        // No NFC step: it arrived in BasicTokenizer after transformers 4.30, which the reference ran.
        String cleaned = tokenizeChineseChars(cleanText(text));
        List<String> out = new ArrayList<>();
        for (String token : PythonText.split(cleaned)) {
            if (neverSplit.contains(token)) {
                out.add(token);
            } else {
                splitOnPunctuation(stripAccents(PythonText.lower(token)), out);
            }
        }
        return out;
    }

    /** The words joined by single spaces: the string CLIPTokenizer hands to its regex. */
    public String normalize(String text) {
        return String.join(" ", words(text));
    }

    /** {@code _clean_text}: drop NUL, U+FFFD and every C* char but \t \n \r; whitespace becomes ' '. */
    static String cleanText(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                return;
            }
            if (isWhitespace(cp)) {
                sb.append(' ');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    /** {@code _tokenize_chinese_chars}: CJK ideographs become words of their own. */
    static String tokenizeChineseChars(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (isChineseChar(cp)) {
                sb.append(' ').appendCodePoint(cp).append(' ');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    /** {@code _run_strip_accents}: NFD, then drop non-spacing marks (Mn). */
    static String stripAccents(String text) {
        String nfd = Normalizer.normalize(text, Normalizer.Form.NFD);
        StringBuilder sb = new StringBuilder(nfd.length());
        nfd.codePoints()
                .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
                .forEach(sb::appendCodePoint);
        return sb.toString();
    }

    /** {@code _run_split_on_punc}: each punctuation char becomes a word; an empty token yields none. */
    static void splitOnPunctuation(String token, List<String> out) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < token.length(); ) {
            int cp = token.codePointAt(i);
            i += Character.charCount(cp);
            if (isPunctuation(cp)) {
                if (word.length() > 0) {
                    out.add(word.toString());
                    word.setLength(0);
                }
                out.add(new String(Character.toChars(cp)));
            } else {
                word.appendCodePoint(cp);
            }
        }
        if (word.length() > 0) {
            out.add(word.toString());
        }
    }

    /** transformers' {@code _is_control}: any C* category (Cc, Cf, Cs, Co, Cn) except \t \n \r. */
    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
                return true;
            default:
                return false;
        }
    }

    /** transformers' {@code _is_whitespace}: space, \t, \n, \r or category Zs. */
    static boolean isWhitespace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r'
                || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    /** transformers' {@code _is_punctuation}: all non-alphanumeric ASCII symbols, or category P*. */
    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96)
                || (cp >= 123 && cp <= 126)) {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION:
            case Character.DASH_PUNCTUATION:
            case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION:
            case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION:
            case Character.OTHER_PUNCTUATION:
                return true;
            default:
                return false;
        }
    }

    /** transformers' {@code _is_chinese_char}: the CJK Unified Ideographs blocks (not kana, not Hangul). */
    static boolean isChineseChar(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
