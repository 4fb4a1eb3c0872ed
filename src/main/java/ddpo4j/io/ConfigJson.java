package ddpo4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A diffusers/transformers {@code config.json} read key by key: typed getters with defaults,
 * required keys, keys that must keep their default, and a final check that refuses any key we
 * never looked at, because an unknown key may change the architecture. Every error names the
 * file and the key.
 */
public final class ConfigJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final String where;
    private final JsonNode root;
    private final Set<String> seen = new HashSet<>();

    private ConfigJson(Path file, String where, JsonNode root) {
        this.file = file;
        this.where = where;
        this.root = root;
    }

    /** Parses {@code file}; a missing or malformed file is an error naming it. */
    public static ConfigJson read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new Ddpo4jException("missing config file " + file);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new Ddpo4jException("invalid JSON in " + file + ": " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new Ddpo4jException("config " + file + " is not a JSON object");
        }
        return new ConfigJson(file, file.toString(), node);
    }

    public Path file() {
        return file;
    }

    private JsonNode get(String key) {
        seen.add(key);
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? null : n;
    }

    private Ddpo4jException bad(String key, String expected, JsonNode value) {
        return new Ddpo4jException("config " + where + ": key \"" + key + "\" must be " + expected + ", got " + value);
    }

    /**
     * The JSON object under {@code key} (e.g. {@code vision_config} of a CLIPModel config), read
     * with the same rules and its own unknown-key check; errors name the file and the section.
     * Null when the key is absent.
     */
    public ConfigJson section(String key) {
        JsonNode n = get(key);
        if (n == null) {
            return null;
        }
        if (!n.isObject()) {
            throw bad(key, "a JSON object", n);
        }
        return new ConfigJson(file, where + " section \"" + key + "\"", n);
    }

    public boolean has(String key) {
        return get(key) != null;
    }

    public int intValue(String key, int defaultValue) {
        JsonNode n = get(key);
        if (n == null) {
            return defaultValue;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw bad(key, "an integer", n);
        }
        return n.intValue();
    }

    public int requiredInt(String key) {
        require(key);
        return intValue(key, 0);
    }

    public double doubleValue(String key, double defaultValue) {
        JsonNode n = get(key);
        if (n == null) {
            return defaultValue;
        }
        if (!n.isNumber()) {
            throw bad(key, "a number", n);
        }
        return n.doubleValue();
    }

    public boolean boolValue(String key, boolean defaultValue) {
        JsonNode n = get(key);
        if (n == null) {
            return defaultValue;
        }
        if (!n.isBoolean()) {
            throw bad(key, "true or false", n);
        }
        return n.booleanValue();
    }

    public String string(String key, String defaultValue) {
        JsonNode n = get(key);
        if (n == null) {
            return defaultValue;
        }
        if (!n.isTextual()) {
            throw bad(key, "a string", n);
        }
        return n.textValue();
    }

    /** A string that must be one of {@code allowed}; the error lists them. */
    public String choice(String key, String defaultValue, String... allowed) {
        String v = string(key, defaultValue);
        for (String a : allowed) {
            if (Objects.equals(a, v)) {
                return v;
            }
        }
        throw new Ddpo4jException("config " + where + ": unsupported value \"" + v + "\" for key \"" + key
                + "\" (supported: " + String.join(", ", allowed) + ")");
    }

    public List<String> requiredStrings(String key) {
        require(key);
        JsonNode n = get(key);
        if (!n.isArray()) {
            throw bad(key, "a list of strings", n);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw bad(key, "a list of strings", n);
            }
            out.add(e.textValue());
        }
        return out;
    }

    public int[] requiredInts(String key) {
        require(key);
        return intsOrScalar(key, 1, 0);
    }

    /** A list of ints, or a single int repeated {@code length} times (diffusers accepts both). */
    public int[] intsOrScalar(String key, int length, int defaultValue) {
        JsonNode n = get(key);
        if (n == null) {
            int[] out = new int[length];
            java.util.Arrays.fill(out, defaultValue);
            return out;
        }
        if (n.isIntegralNumber()) {
            int[] out = new int[length];
            java.util.Arrays.fill(out, n.intValue());
            return out;
        }
        if (!n.isArray()) {
            throw bad(key, "an integer or a list of integers", n);
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            if (!n.get(i).isIntegralNumber()) {
                throw bad(key, "a list of integers", n);
            }
            out[i] = n.get(i).intValue();
        }
        return out;
    }

    /**
     * A key we do not implement: allowed only absent, null or equal to {@code expected} (the value
     * under which the architecture is the one we build).
     */
    public void requireDefault(String key, Object expected) {
        JsonNode n = get(key);
        if (n == null) {
            return;
        }
        Object actual = n.isBoolean() ? n.booleanValue()
                : n.isIntegralNumber() ? (Object) n.longValue()
                : n.isNumber() ? n.doubleValue()
                : n.isTextual() ? n.textValue()
                : n;
        Object want = expected instanceof Integer ? Long.valueOf((Integer) expected) : expected;
        if (!Objects.equals(actual, want)) {
            throw new Ddpo4jException("config " + where + ": key \"" + key + "\" = " + n
                    + " is not supported (ddpo4j builds only " + (expected == null ? "null" : expected) + ")");
        }
    }

    /** Marks keys that never change the computation (token ids, dropout at inference, docs). */
    public void ignore(String... keys) {
        seen.addAll(List.of(keys));
    }

    public void require(String key) {
        if (get(key) == null) {
            throw new Ddpo4jException("config " + where + " is missing required key \"" + key + "\"");
        }
    }

    /** Refuses keys never read: they may change the architecture in ways we would silently ignore. */
    public void checkNoUnknownKeys() {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.startsWith("_") && !seen.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new Ddpo4jException("config " + where + " has unknown key(s) " + unknown
                    + ": ddpo4j cannot tell whether they change the architecture, so it refuses them");
        }
    }
}
