package ddpo4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** Most resolution levels a UNet or VAE may have: see {@link #blockOutChannels()}. */
    public static final int MAX_BLOCKS = 8;

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
        return error("key \"" + key + "\" must be " + expected + ", got " + value);
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

    /** An integer in {@code range}, {@code defaultValue} when absent or null. */
    public int intValue(String key, int defaultValue, IntRange range) {
        JsonNode n = get(key);
        if (n == null) {
            return defaultValue;
        }
        return checkedInt(key, n, n, range);
    }

    public int requiredInt(String key, IntRange range) {
        require(key);
        return intValue(key, 0, range);
    }

    public double doubleValue(String key, double defaultValue) {
        JsonNode n = get(key);
        if (n == null) {
            return defaultValue;
        }
        // 1e400 parses as an infinite double: no setting of ours means that.
        if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
            throw bad(key, "a finite number", n);
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

    /**
     * {@code block_out_channels} of a diffusers UNet or VAE: 1 to {@value #MAX_BLOCKS} positive widths.
     * Every block but the last halves the resolution, so the scale factor 2^(blocks - 1) stays a
     * small int (sample size times scale factor is the image side).
     */
    public int[] blockOutChannels() {
        int[] channels = requiredInts("block_out_channels", IntRange.SIZE);
        if (channels.length > MAX_BLOCKS) {
            throw error("block_out_channels has " + channels.length + " blocks; at most " + MAX_BLOCKS
                    + " are supported (each halves the resolution)");
        }
        return channels;
    }

    /** A non-empty list of integers in {@code range} (a single integer counts as a list of one). */
    public int[] requiredInts(String key, IntRange range) {
        require(key);
        int[] out = intsOrScalar(key, 1, 0, range);
        if (out.length == 0) {
            throw bad(key, "a non-empty list of integers", get(key));
        }
        return out;
    }

    /**
     * A list of integers in {@code range}, or a single one repeated {@code length} times (diffusers
     * accepts both).
     */
    public int[] intsOrScalar(String key, int length, int defaultValue, IntRange range) {
        JsonNode n = get(key);
        if (n == null) {
            int[] out = new int[length];
            Arrays.fill(out, defaultValue);
            return out;
        }
        if (n.isNumber()) {
            int[] out = new int[length];
            Arrays.fill(out, checkedInt(key, n, n, range));
            return out;
        }
        if (!n.isArray()) {
            throw bad(key, "an integer or a list of integers", n);
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = checkedInt(key, n.get(i), n, range);
        }
        return out;
    }

    /** {@code n} (or an element of {@code whole}) as an int in {@code range}; never silently truncated. */
    private int checkedInt(String key, JsonNode n, JsonNode whole, IntRange range) {
        if (!n.isIntegralNumber() || !n.canConvertToInt() || !range.contains(n.intValue())) {
            throw bad(key, range.describe() + (n == whole ? "" : " or a list of them"), whole);
        }
        return n.intValue();
    }

    /**
     * Refuses {@code key}'s value {@code divisor} unless it divides every entry of {@code values}
     * (read from {@code valuesKey}): torch refuses such a model when it builds it, and so do we,
     * naming the keys.
     */
    public void checkDividesAll(String key, int divisor, String valuesKey, int[] values) {
        for (int v : values) {
            if (v % divisor != 0) {
                throw error("key \"" + key + "\" = " + divisor + " does not divide " + valuesKey + " entry " + v);
            }
        }
    }

    /** An error about this config that names its file (and section). */
    public Ddpo4jException error(String message) {
        return new Ddpo4jException("config " + where + ": " + message);
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

    /** The values an integer key may take. */
    public record IntRange(int min, int max) {
        /**
         * Widths, channel counts, vocabulary sizes: only the weights file allocates by them, and the
         * safetensors reader checks it against the file's real size.
         */
        public static final IntRange SIZE = new IntRange(1, Integer.MAX_VALUE);

        /**
         * Counts of repeated modules (layers): each is built as objects before any weight is read,
         * so a corrupt config must not ask for millions. Real models have a few dozen at most.
         */
        public static final IntRange REPEATS = new IntRange(1, 256);

        /** Paddings, offsets. */
        public static final IntRange NON_NEGATIVE = new IntRange(0, Integer.MAX_VALUE);

        public IntRange {
            if (min > max) {
                throw new IllegalArgumentException("empty range [" + min + ", " + max + "]");
            }
        }

        public boolean contains(int v) {
            return v >= min && v <= max;
        }

        /** "an integer from 1 to 256", "an integer >= 1". */
        String describe() {
            return max == Integer.MAX_VALUE ? "an integer >= " + min : "an integer from " + min + " to " + max;
        }
    }
}
