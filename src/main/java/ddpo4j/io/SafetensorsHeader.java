package ddpo4j.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and fully validates a safetensors header (length prefix + JSON) against the file's size,
 * so that nothing is allocated for, or read from, a file that lies about its contents.
 */
final class SafetensorsHeader {
    /** Same cap as the reference Rust implementation: no real header comes near it. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper MAPPER = new ObjectMapper(new JsonFactory());

    private final Map<String, String> metadata;
    private final Map<String, TensorInfo> tensors;
    private final long dataStart;

    private SafetensorsHeader(Map<String, String> metadata, Map<String, TensorInfo> tensors, long dataStart) {
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = Collections.unmodifiableMap(tensors);
        this.dataStart = dataStart;
    }

    /** Metadata in header order; empty if the header has none. */
    Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor entries in header order. */
    Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** Absolute file offset of the data section (8 + header length). */
    long dataStart() {
        return dataStart;
    }

    /** Reads the header of {@code file} through {@code channel} and validates it completely. */
    static SafetensorsHeader read(Path file, FileChannel channel) {
        try {
            long fileSize = channel.size();
            if (fileSize < 8) {
                throw fail(file, "not a safetensors file: it has " + fileSize
                        + " bytes, fewer than the 8-byte header length prefix");
            }
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(file, channel, prefix, 0);
            long n = prefix.getLong(0);
            // Unsigned on disk: a negative long means >= 2^63, which the cap rejects too.
            if (n < 0 || n > MAX_HEADER_BYTES) {
                throw fail(file, "not a safetensors file: header length "
                        + Long.toUnsignedString(n) + " exceeds the " + MAX_HEADER_BYTES + "-byte limit");
            }
            if (n > fileSize - 8) {
                throw fail(file, "truncated or not a safetensors file: header length " + n
                        + " but only " + (fileSize - 8) + " bytes follow the length prefix");
            }
            ByteBuffer json = ByteBuffer.allocate((int) n);
            readFully(file, channel, json, 8);
            return parse(file, json.array(), fileSize);
        } catch (IOException e) {
            throw new Ddpo4jException("cannot read safetensors header of " + file + ": " + e, e);
        }
    }

    /** Parses header JSON bytes of a file of {@code fileSize} bytes and validates every entry. */
    static SafetensorsHeader parse(Path file, byte[] jsonBytes, long fileSize) {
        long dataStart = 8L + jsonBytes.length;
        long dataSize = fileSize - dataStart;
        String json = decodeUtf8(file, jsonBytes);
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        boolean sawMetadata = false;
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw fail(file, "header is not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                if (tensors.containsKey(key) || (sawMetadata && METADATA_KEY.equals(key))) {
                    throw fail(file, "header has duplicate key '" + key + "'");
                }
                p.nextToken();
                if (METADATA_KEY.equals(key)) {
                    sawMetadata = true;
                    parseMetadata(file, p, metadata);
                } else {
                    Map<String, JsonNode> fields = readFlatObject(file, p, "tensor '" + key + "'");
                    tensors.put(key, parseEntry(file, key, fields));
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw fail(file, "header JSON is malformed near " + p.currentLocation().offsetDescription());
            }
            if (p.nextToken() != null) {
                throw fail(file, "header has trailing content after its JSON object");
            }
        } catch (IOException e) {
            // Jackson reports syntax errors as IOExceptions; the original message says where.
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
                    ? jpe.getOriginalMessage()
                    : e.toString();
            throw new Ddpo4jException(file + ": header is not valid JSON: " + why, e);
        }
        checkLayout(file, tensors, dataSize, dataStart);
        return new SafetensorsHeader(metadata, tensors, dataStart);
    }

    private static String decodeUtf8(Path file, byte[] bytes) {
        // Decode strictly ourselves: Jackson would guess UTF-16/32 from NUL bytes and accept it.
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Ddpo4jException(file + ": header is not valid UTF-8", e);
        }
    }

    private static void parseMetadata(Path file, JsonParser p, Map<String, String> out) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return; // the Rust reference accepts "__metadata__": null as "no metadata"
        }
        Map<String, JsonNode> fields = readFlatObject(file, p, "'" + METADATA_KEY + "'");
        for (Map.Entry<String, JsonNode> e : fields.entrySet()) {
            if (!e.getValue().isTextual()) {
                throw fail(file, "metadata value for '" + e.getKey() + "' is not a string: " + e.getValue());
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
    }

    /** Reads the object at the current token into name → value, refusing duplicate names. */
    private static Map<String, JsonNode> readFlatObject(Path file, JsonParser p, String what) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            JsonNode v = p.readValueAsTree();
            throw fail(file, what + " is not a JSON object: " + v);
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            JsonNode value = p.readValueAsTree();
            if (fields.put(name, value) != null) {
                throw fail(file, what + " has duplicate field '" + name + "'");
            }
        }
        return fields;
    }

    private static TensorInfo parseEntry(Path file, String key, Map<String, JsonNode> fields) {
        String where = "tensor '" + key + "'";
        JsonNode dtypeNode = require(file, where, fields, "dtype");
        if (!dtypeNode.isTextual()) {
            throw fail(file, where + ": dtype is not a string: " + dtypeNode);
        }
        SafeDType dtype = SafeDType.fromName(dtypeNode.textValue());
        if (dtype == null) {
            throw fail(file, where + " has unsupported dtype '" + dtypeNode.textValue()
                    + "' (supported: " + Arrays.toString(SafeDType.values()) + ")");
        }
        long[] shape = longArray(file, where, "shape", require(file, where, fields, "shape"));
        for (long d : shape) {
            if (d < 0) {
                throw fail(file, where + " has negative dimension " + d + " in shape " + Arrays.toString(shape));
            }
        }
        long[] offsets = longArray(file, where, "data_offsets", require(file, where, fields, "data_offsets"));
        if (offsets.length != 2) {
            throw fail(file, where + ": data_offsets must be [begin, end], got " + Arrays.toString(offsets));
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < begin) {
            throw fail(file, where + " has invalid data_offsets " + Arrays.toString(offsets)
                    + " (need 0 <= begin <= end)");
        }
        long bytes;
        try {
            long numel = 1;
            for (long d : shape) {
                numel = Math.multiplyExact(numel, d);
            }
            bytes = Math.multiplyExact(numel, (long) dtype.bytes());
        } catch (ArithmeticException e) {
            throw fail(file, where + " has shape " + Arrays.toString(shape)
                    + " whose size in bytes overflows a 64-bit integer");
        }
        if (bytes != end - begin) {
            throw fail(file, where + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + bytes + " bytes but data_offsets " + Arrays.toString(offsets) + " span " + (end - begin));
        }
        return new TensorInfo(key, dtype, shape, begin, end);
    }

    private static JsonNode require(Path file, String where, Map<String, JsonNode> fields, String name) {
        JsonNode n = fields.get(name);
        if (n == null) {
            throw fail(file, where + " lacks field '" + name + "'");
        }
        return n;
    }

    private static long[] longArray(Path file, String where, String field, JsonNode node) {
        if (!node.isArray()) {
            throw fail(file, where + ": " + field + " is not an array: " + node);
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            // isIntegralNumber rejects 2.0 and 2.5; canConvertToLong rejects values beyond 64 bits.
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw fail(file, where + ": " + field + " has non-integer or out-of-range element " + v + " in " + node);
            }
            out[i] = v.longValue();
        }
        return out;
    }

    /** Checks every tensor lies inside the data section and that no two overlap. */
    private static void checkLayout(Path file, Map<String, TensorInfo> tensors, long dataSize, long dataStart) {
        for (TensorInfo t : tensors.values()) {
            if (t.end() > dataSize) {
                throw fail(file, "file is truncated: tensor '" + t.name() + "' needs data up to byte " + t.end()
                        + " of the data section, so the file should be at least " + (dataStart + t.end())
                        + " bytes, but it is " + (dataStart + dataSize) + " bytes");
            }
        }
        List<TensorInfo> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        TensorInfo prev = null;
        for (TensorInfo t : sorted) {
            // Empty tensors occupy no bytes, so they cannot overlap anything.
            if (t.begin() == t.end()) {
                continue;
            }
            if (prev != null && t.begin() < prev.end()) {
                throw fail(file, "tensors '" + prev.name() + "' [" + prev.begin() + ", " + prev.end()
                        + ") and '" + t.name() + "' [" + t.begin() + ", " + t.end() + ") overlap");
            }
            prev = t;
        }
    }

    private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw fail(file, "file is truncated: it ended while reading its header");
            }
            pos += r;
        }
    }

    private static Ddpo4jException fail(Path file, String message) {
        return new Ddpo4jException(file + ": " + message);
    }
}
