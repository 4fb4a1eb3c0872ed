package ddpo4j.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the tokenizer's text and JSON files, turning every failure into an error naming the file. */
final class TextFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TextFiles() {}

    /** The file as strict UTF-8 (Python's {@code open(encoding="utf-8")} rejects bad bytes too). */
    static String readUtf8(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new Ddpo4jException("tokenizer file not found: " + file, e);
        } catch (IOException e) {
            throw new Ddpo4jException("cannot read tokenizer file " + file + ": " + e.getMessage(), e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Ddpo4jException("tokenizer file " + file + " is not valid UTF-8", e);
        }
    }

    /** The file parsed as JSON. */
    static JsonNode readJson(Path file) {
        String text = readUtf8(file);
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new Ddpo4jException("tokenizer file " + file + " is empty, expected JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new Ddpo4jException("invalid JSON in " + file + ": " + e.getOriginalMessage(), e);
        }
    }
}
