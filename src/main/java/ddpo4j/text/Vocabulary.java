package ddpo4j.text;

import com.fasterxml.jackson.databind.JsonNode;
import ddpo4j.Ddpo4jException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** The token-to-id table of vocab.json and its inverse. */
public final class Vocabulary {
    private final Map<String, Integer> ids;
    private final Map<Integer, String> tokens;

    private Vocabulary(Map<String, Integer> ids) {
        this.ids = ids;
        // Like transformers' {v: k}: if two tokens share an id, the later one wins.
        this.tokens = new HashMap<>(ids.size() * 2);
        ids.forEach((token, id) -> tokens.put(id, token));
    }

    /** Reads a vocab.json object mapping token strings to integer ids. */
    public static Vocabulary load(Path file) {
        JsonNode root = TextFiles.readJson(file);
        if (!root.isObject()) {
            throw new Ddpo4jException("vocab file " + file + " must hold a JSON object {token: id}");
        }
        Map<String, Integer> ids = new HashMap<>(root.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
                throw new Ddpo4jException("vocab file " + file + ": id of token '" + e.getKey()
                        + "' is " + v + ", expected a non-negative integer");
            }
            ids.put(e.getKey(), v.intValue());
        }
        return new Vocabulary(ids);
    }

    /** A vocabulary from an in-memory map (tests, programmatic tokenizers). */
    public static Vocabulary of(Map<String, Integer> ids) {
        return new Vocabulary(new HashMap<>(ids));
    }

    /** The id of {@code token}, or -1 if it is not in the vocabulary. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /** The token with this id, or null. */
    public String token(int id) {
        return tokens.get(id);
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** Number of entries, which is transformers' {@code vocab_size} (no added tokens here). */
    public int size() {
        return ids.size();
    }
}
