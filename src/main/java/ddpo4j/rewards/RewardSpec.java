package ddpo4j.rewards;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parsed reward spec string, {@code NAME} or {@code NAME:key=value,key=value}: the name picks the
 * reward, the options configure it.
 *
 * <p>A value runs to the next comma, so it may contain {@code =}, {@code :} and {@code /}
 * ({@code http:url=http://host:8000/score}). A value holding commas is quoted:
 * {@code key="a,b"} or {@code key='a,b'}; inside quotes a backslash escapes the quote character
 * and itself.
 */
public record RewardSpec(String name, Map<String, String> options) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    public RewardSpec {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** Parses {@code text}; a RewardException says what is wrong and where. */
    public static RewardSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new RewardException("empty reward spec: expected NAME or NAME:key=value,...");
        }
        String s = text.strip();
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        if (!NAME.matcher(name).matches()) {
            throw new RewardException("reward spec '" + text + "': '" + name
                    + "' is not a reward name (letters, digits, _ . -)");
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (colon >= 0) {
            new OptionLexer(text, s.substring(colon + 1)).readInto(options);
        }
        return new RewardSpec(name, options);
    }

    /** The spec string again, quoting values that need it, so that {@code parse(toString())} round-trips. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name);
        String sep = ":";
        for (Map.Entry<String, String> e : options.entrySet()) {
            b.append(sep).append(e.getKey()).append('=').append(quoteIfNeeded(e.getValue()));
            sep = ",";
        }
        return b.toString();
    }

    private static String quoteIfNeeded(String v) {
        boolean plain = !v.isEmpty() && v.indexOf(',') < 0 && v.charAt(0) != '"' && v.charAt(0) != '\''
                && v.strip().equals(v);
        return plain ? v : '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** Splits {@code key=value,key="v,w"} into a map, refusing empty keys, duplicates and open quotes. */
    private static final class OptionLexer {
        private final String spec;
        private final String body;
        private int pos;

        OptionLexer(String spec, String body) {
            this.spec = spec;
            this.body = body;
        }

        void readInto(Map<String, String> out) {
            if (body.isBlank()) {
                throw error("nothing after ':' (write NAME alone, or NAME:key=value)");
            }
            while (pos <= body.length()) {
                if (body.substring(pos).isBlank() || body.charAt(pos) == ',') {
                    throw error("an empty option (stray comma?)");
                }
                int eq = body.indexOf('=', pos);
                int comma = body.indexOf(',', pos);
                if (eq < 0 || (comma >= 0 && comma < eq)) {
                    int end = comma < 0 ? body.length() : comma;
                    throw error("option '" + body.substring(pos, end).strip() + "' has no '=value'");
                }
                String key = body.substring(pos, eq).strip();
                if (key.isEmpty()) {
                    throw error("an option has an empty key");
                }
                pos = eq + 1;
                String value = readValue();
                if (out.put(key, value) != null) {
                    throw error("option '" + key + "' is given twice");
                }
                pos++; // past the comma (or past the end, which ends the loop)
            }
        }

        /** Reads a value up to the next top-level comma; leaves pos on that comma or at the end. */
        private String readValue() {
            int start = pos;
            while (start < body.length() && body.charAt(start) == ' ') {
                start++;
            }
            if (start < body.length() && (body.charAt(start) == '"' || body.charAt(start) == '\'')) {
                return readQuoted(start);
            }
            int comma = body.indexOf(',', pos);
            int end = comma < 0 ? body.length() : comma;
            pos = end;
            return body.substring(start, end).strip();
        }

        private String readQuoted(int open) {
            char q = body.charAt(open);
            StringBuilder v = new StringBuilder();
            int i = open + 1;
            for (; i < body.length() && body.charAt(i) != q; i++) {
                char c = body.charAt(i);
                if (c == '\\' && i + 1 < body.length() && (body.charAt(i + 1) == q || body.charAt(i + 1) == '\\')) {
                    c = body.charAt(++i);
                }
                v.append(c);
            }
            if (i >= body.length()) {
                throw error("unterminated " + q + " quote in a value");
            }
            pos = i + 1;
            while (pos < body.length() && body.charAt(pos) == ' ') {
                pos++;
            }
            if (pos < body.length() && body.charAt(pos) != ',') {
                throw error("unexpected text after the closing " + q + " quote: '" + body.substring(pos) + "'");
            }
            return v.toString();
        }

        private RewardException error(String what) {
            return new RewardException("reward spec '" + spec + "': " + what);
        }
    }
}
