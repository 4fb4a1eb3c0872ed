package ddpo4j.text;

import ddpo4j.Ddpo4jException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Merge ranks from merges.txt, sliced exactly as transformers' CLIPTokenizer reads them. */
public final class BpeMerges {
    /**
     * End (exclusive) of transformers' slice {@code lines[1 : 49152 - 256 - 2 + 1]}: CLIP's vocabulary
     * has room for 49152 - 256 byte tokens - 2 specials merges; line 0 is the {@code #version} header.
     */
    public static final int CLIP_SLICE_END = 49152 - 256 - 2 + 1;

    private final Map<String, Integer> ranks;

    private BpeMerges(Map<String, Integer> ranks) {
        this.ranks = ranks;
    }

    /** Reads merges.txt: header line skipped, one "first second" pair per line, rank = line order. */
    public static BpeMerges load(Path file) {
        return parse(TextFiles.readUtf8(file), file.toString());
    }

    /** Parses merges.txt content; {@code source} names the file in error messages. */
    public static BpeMerges parse(String content, String source) {
        // Python: content.strip().split("\n")[1:CLIP_SLICE_END]; keep track of the stripped
        // leading lines only to report true line numbers.
        int begin = 0;
        while (begin < content.length() && PythonText.isSpace(content.charAt(begin))) {
            begin++;
        }
        int end = content.length();
        while (end > begin && PythonText.isSpace(content.charAt(end - 1))) {
            end--;
        }
        int lineOffset = (int) content.substring(0, begin).chars().filter(c -> c == '\n').count();
        String[] lines = content.substring(begin, end).split("\n", -1);

        int last = Math.min(lines.length, CLIP_SLICE_END);
        Map<String, Integer> ranks = new HashMap<>(Math.max(16, last * 2));
        for (int i = 1; i < last; i++) {
            List<String> parts = PythonText.split(lines[i]);
            if (parts.size() != 2) {
                throw new Ddpo4jException("merges file " + source + " line " + (i + 1 + lineOffset)
                        + " is malformed: expected two symbols separated by a space, got '"
                        + lines[i].strip() + "'");
            }
            // A repeated pair keeps its last rank, as Python's dict(zip(...)) does.
            ranks.put(key(parts.get(0), parts.get(1)), i - 1);
        }
        return new BpeMerges(ranks);
    }

    /** Merges from in-memory pairs, rank = list order (tests, programmatic tokenizers). */
    public static BpeMerges of(List<String[]> pairs) {
        Map<String, Integer> ranks = new HashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            String[] p = pairs.get(i);
            if (p.length != 2 || PythonText.split(p[0] + ' ' + p[1]).size() != 2) {
                throw new Ddpo4jException("merge pair " + i + " must be two non-empty symbols without whitespace");
            }
            ranks.put(key(p[0], p[1]), i);
        }
        return new BpeMerges(ranks);
    }

    /** Rank of merging {@code first} then {@code second} (lower merges first), or MAX_VALUE if none. */
    public int rank(String first, String second) {
        Integer r = ranks.get(key(first, second));
        return r == null ? Integer.MAX_VALUE : r;
    }

    /** Number of distinct merge pairs. */
    public int size() {
        return ranks.size();
    }

    // Symbols never contain whitespace (split() removed it), so a space separates them unambiguously.
    private static String key(String first, String second) {
        return first + ' ' + second;
    }
}
