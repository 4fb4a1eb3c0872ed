package ddpo4j.io;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import ddpo4j.Ddpo4jException;
import java.io.IOException;

/**
 * JSON text laid out as Python's {@code json.dumps(value, indent=2, sort_keys=True)} writes it
 * (two-space indent, {@code ": "} after keys, sorted keys, ASCII only), so strings that Python
 * tools embed in files, such as diffusers' LoRA metadata, come out byte-identical from Java.
 */
final class PythonJson {
    private static final DefaultIndenter INDENT = new DefaultIndenter("  ", "\n");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE) // Python writes \u00e9
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private PythonJson() {}

    /** {@code value} (maps, lists, strings, numbers, booleans, null) as {@code json.dumps(value, indent=2, sort_keys=True)}. */
    static String dumps(Object value) {
        // Python: "key": value (no space before the colon), "{}" and "[]" when empty.
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators)
                .withObjectIndenter(INDENT)
                .withArrayIndenter(INDENT);
        try {
            return MAPPER.writer(printer).writeValueAsString(value);
        } catch (IOException e) {
            throw new Ddpo4jException("cannot encode JSON: " + e.getMessage(), e);
        }
    }
}
