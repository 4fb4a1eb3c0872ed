package ddpo4j.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** CLIP's byte-level BPE: merges one byte-encoded word by rank, its last symbol marked with {@code </w>}. */
public final class Bpe {
    public static final String END_OF_WORD = "</w>";

    /**
     * The reference caches every word forever; prompts repeat words, so caching pays, but a long
     * training run over open-ended prompts should not grow without bound.
     */
    private static final int MAX_CACHE = 100_000;

    private final BpeMerges merges;
    private final Map<String, List<String>> cache = new ConcurrentHashMap<>();

    public Bpe(BpeMerges merges) {
        this.merges = merges;
    }

    /** The BPE symbols of {@code word} (already byte-encoded), e.g. "cats" -> [cat, s</w>]. */
    public List<String> apply(String word) {
        if (word.isEmpty()) {
            return List.of();
        }
        List<String> hit = cache.get(word);
        if (hit != null) {
            return hit;
        }
        List<String> result = List.copyOf(merge(word));
        if (cache.size() >= MAX_CACHE) {
            cache.clear();
        }
        cache.put(word, result);
        return result;
    }

    private List<String> merge(String word) {
        // word = tuple(token[:-1]) + (token[-1] + '</w>',): one symbol per code point.
        List<String> symbols = new ArrayList<>(word.length());
        word.codePoints().forEach(cp -> symbols.add(new String(Character.toChars(cp))));
        int lastIndex = symbols.size() - 1;
        symbols.set(lastIndex, symbols.get(lastIndex) + END_OF_WORD);

        List<String> current = symbols;
        while (current.size() > 1) {
            // The adjacent pair with the lowest rank merges next; ranks are unique, so no ties.
            int best = Integer.MAX_VALUE;
            String first = null;
            String second = null;
            for (int i = 0; i + 1 < current.size(); i++) {
                int r = merges.rank(current.get(i), current.get(i + 1));
                if (r < best) {
                    best = r;
                    first = current.get(i);
                    second = current.get(i + 1);
                }
            }
            if (first == null) {
                break;
            }
            // Merge every occurrence, scanning left to right without overlap (as the Python loop does).
            List<String> next = new ArrayList<>(current.size());
            for (int i = 0; i < current.size(); ) {
                if (i + 1 < current.size() && current.get(i).equals(first) && current.get(i + 1).equals(second)) {
                    next.add(first + second);
                    i += 2;
                } else {
                    next.add(current.get(i));
                    i++;
                }
            }
            current = next;
        }
        return current;
    }
}
