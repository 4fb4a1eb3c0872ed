package ddpo4j.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts text around exact occurrences of the special tokens before any normalization, as the
 * added-token trie in transformers' {@code PreTrainedTokenizer.tokenize} does.
 */
final class SpecialTokenSplitter {
    /** One stretch of text: either a special token, verbatim, or ordinary text between them. */
    record Piece(String text, boolean special) {}

    private final List<String> specials;

    SpecialTokenSplitter(Collection<String> specials) {
        // Leftmost match wins; among matches at one position the longest, as the trie does.
        this.specials = specials.stream()
                .filter(s -> !s.isEmpty())
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    List<Piece> split(String text) {
        List<Piece> out = new ArrayList<>();
        int textStart = 0;
        int i = 0;
        outer:
        while (i < text.length()) {
            for (String s : specials) {
                if (text.startsWith(s, i)) {
                    if (i > textStart) {
                        out.add(new Piece(text.substring(textStart, i), false));
                    }
                    out.add(new Piece(s, true));
                    i += s.length();
                    textStart = i;
                    continue outer;
                }
            }
            i++;
        }
        if (textStart < text.length()) {
            out.add(new Piece(text.substring(textStart), false));
        }
        return out;
    }
}
