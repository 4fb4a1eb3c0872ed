package ddpo4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every way a header can be wrong is refused with a Ddpo4jException naming the file (and key). */
class SafetensorsHeaderValidationTest {
    private static final String OK_ENTRY = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    @TempDir
    Path dir;

    /** Opens {@code file}, expecting failure; checks the message names the file and each fragment. */
    private static Ddpo4jException refused(Path file, String... fragments) {
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> SafetensorsReader.open(file).close());
        assertTrue(e.getMessage().contains(file.toString()), "message lacks the file: " + e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
        }
        return e;
    }

    private Path json(String json, int dataBytes) throws IOException {
        return RawSafetensors.write(dir, "t.safetensors", json, dataBytes);
    }

    @Test
    void fileShorterThanEightBytes() throws IOException {
        refused(RawSafetensors.write(dir, "empty.safetensors", new byte[0]), "0 bytes");
        refused(RawSafetensors.write(dir, "seven.safetensors", new byte[7]), "7 bytes");
    }

    @Test
    void missingFile() {
        refused(dir.resolve("absent.safetensors"), "cannot open");
    }

    @Test
    void directoryIsNotASafetensorsFile() {
        refused(dir);
    }

    @Test
    void headerLengthOfATerabyteFailsAtOnceWithoutAllocating() throws IOException {
        Path f = RawSafetensors.write(dir, "huge.safetensors", RawSafetensors.bytes(1_000_000_000_000L, "{}".getBytes(), new byte[0]));
        // Preemptive timeout: an attempt to allocate or read 10^12 bytes would blow it (or the heap).
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> refused(f, "1000000000000", "limit"));
    }

    @Test
    void headerLengthWithTopBitSetIsReadAsUnsigned() throws IOException {
        Path f = RawSafetensors.write(dir, "neg.safetensors", RawSafetensors.bytes(-1L, "{}".getBytes(), new byte[0]));
        refused(f, "18446744073709551615", "limit");
    }

    @Test
    void headerLengthBeyondFileSize() throws IOException {
        byte[] h = "{}".getBytes();
        Path f = RawSafetensors.write(dir, "short.safetensors", RawSafetensors.bytes(1000, h, new byte[0]));
        refused(f, "header length 1000", "only 2 bytes");
    }

    @Test
    void headerJustUnderTheCapIsAcceptedWhenPresent() throws IOException {
        // A valid header padded with spaces to a large size is fine (the cap is not a size limit on data).
        String json = "{\"a\":" + OK_ENTRY + "}" + " ".repeat(100_000);
        try (SafetensorsReader r = SafetensorsReader.open(json(json, 8))) {
            assertEquals(2, r.floats("a").length);
        }
    }

    @Test
    void headerNotUtf8() throws IOException {
        byte[] h = {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'};
        refused(RawSafetensors.write(dir, "utf.safetensors", RawSafetensors.bytes(h.length, h, new byte[0])), "UTF-8");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{abc|not valid JSON",
        "{\"a\": {\"dtype\":\"F32\"|not valid JSON",
        "``|not a JSON object",
        "[1,2]|not a JSON object",
        "\"text\"|not a JSON object",
        "{} {}|trailing content",
        "{}x|not valid JSON",
    })
    void headerNotAJsonObject(String json, String fragment) throws IOException {
        refused(json(json, 0), fragment);
    }

    @Test
    void emptyHeaderObjectIsAValidEmptyFile() throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(json("{}  ", 0))) {
            assertTrue(r.keys().isEmpty());
            assertTrue(r.metadata().isEmpty());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"w\":5}|tensor 'w' is not a JSON object",
        "{\"w\":[1]}|tensor 'w' is not a JSON object",
        "{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}|tensor 'w' lacks field 'dtype'",
        "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}|tensor 'w' lacks field 'shape'",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}|tensor 'w' lacks field 'data_offsets'",
        "{\"w\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}|tensor 'w': dtype is not a string",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}|tensor 'w': shape is not an array",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":{}}}|tensor 'w': data_offsets is not an array",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}|tensor 'w': shape has non-integer or out-of-range element 2.5",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}|tensor 'w': shape has non-integer or out-of-range element 2.0",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}|tensor 'w': shape has non-integer or out-of-range element",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[null],\"data_offsets\":[0,8]}}|tensor 'w': shape has non-integer or out-of-range element null",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999999],\"data_offsets\":[0,8]}}|tensor 'w': shape has non-integer or out-of-range element",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}|tensor 'w' has negative dimension -2",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}|tensor 'w': data_offsets must be [begin, end]",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}|tensor 'w': data_offsets must be [begin, end]",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.0]}}|tensor 'w': data_offsets has non-integer or out-of-range element",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}|tensor 'w' has invalid data_offsets [8, 0]",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[-4,-4]}}|tensor 'w' has invalid data_offsets [-4, -4]",
        "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}|tensor 'w' has duplicate field 'dtype'",
        "{\"__metadata__\":5}|'__metadata__' is not a JSON object",
        "{\"__metadata__\":{\"k\":1}}|metadata value for 'k' is not a string",
        "{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}|'__metadata__' has duplicate field 'k'",
        "{\"__metadata__\":{},\"__metadata__\":{}}|duplicate key '__metadata__'",
    })
    void malformedEntries(String json, String fragment) throws IOException {
        refused(json(json, 8), fragment);
    }

    @ParameterizedTest
    @CsvSource({"F8_E4M3", "C64", "f32", "U16", "''"})
    void unknownDtypeNamesDtypeAndKey(String dtype) throws IOException {
        String json = "{\"weird.key\":{\"dtype\":\"" + dtype + "\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        refused(json(json, 8), "tensor 'weird.key'", "unsupported dtype '" + dtype + "'");
    }

    @Test
    void shapeWhoseByteSizeOverflows() throws IOException {
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}";
        refused(json(json, 8), "tensor 'w'", "overflows");
        // numel fits in a long, numel × 8 bytes does not.
        String json2 = "{\"w\":{\"dtype\":\"F64\",\"shape\":[2305843009213693952],\"data_offsets\":[0,8]}}";
        refused(json(json2, 8), "tensor 'w'", "overflows");
    }

    @Test
    void shapeDisagreesWithOffsets() throws IOException {
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}";
        refused(json(json, 24), "tensor 'w'", "needs 24 bytes", "span 20");
    }

    @Test
    void truncatedFileNamesKeyExpectedAndActualSize() throws IOException {
        String json = "{\"a\":" + OK_ENTRY + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[8,32]}}";
        Path f = json(json, 10);
        long n = json.getBytes(StandardCharsets.UTF_8).length;
        long expected = 8 + n + 32;
        long actual = Files.size(f);
        refused(f, "truncated", "tensor 'b'", "at least " + expected + " bytes", "it is " + actual + " bytes");
    }

    @Test
    void overlappingTensors() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        refused(json(json, 12), "'a' [0, 8)", "'b' [4, 12)", "overlap");
        String same = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        refused(json(same, 8), "overlap");
    }

    @Test
    void emptyTensorsMayShareAnOffsetAndGapsAreAllowed() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[4,4]},"
                + "\"f\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[12,14]}}";
        try (SafetensorsReader r = SafetensorsReader.open(json(json, 14))) {
            assertEquals(0, r.floats("e").length);
            assertEquals(2, r.longs("f").length);
        }
    }

    @Test
    void duplicateTensorKeys() throws IOException {
        String json = "{\"a\":" + OK_ENTRY + ",\"a\":" + OK_ENTRY + "}";
        refused(json(json, 8), "duplicate key 'a'");
    }

    @Test
    void absentKeyNamesFileAndKey() throws IOException {
        Path f = json("{\"a\":" + OK_ENTRY + "}", 8);
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> r.info("missing.weight"));
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("'missing.weight'"), e.getMessage());
            assertThrows(Ddpo4jException.class, () -> r.bytes("missing.weight"));
            try (NDManager m = NDManager.newBaseManager()) {
                assertThrows(Ddpo4jException.class, () -> r.load("missing.weight", m));
            }
        }
    }

    @Test
    void wrongAccessorForDtype() throws IOException {
        String json = "{\"f\":" + OK_ENTRY + ",\"i\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[8,16]},"
                + "\"b\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[16,17]}}";
        Path f = json(json, 17);
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> r.longs("f"));
            assertTrue(e.getMessage().contains("'f'") && e.getMessage().contains("F32"), e.getMessage());
            e = assertThrows(Ddpo4jException.class, () -> r.floats("i"));
            assertTrue(e.getMessage().contains("'i'") && e.getMessage().contains("I64"), e.getMessage());
            assertThrows(Ddpo4jException.class, () -> r.floats("b"));
            assertThrows(Ddpo4jException.class, () -> r.longs("b"));
        }
    }

    @Test
    void closedReaderRefusesToMap() throws IOException {
        Path f = json("{\"a\":" + OK_ENTRY + "}", 8);
        SafetensorsReader r = SafetensorsReader.open(f);
        r.close();
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> r.floats("a"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    /**
     * Truncating a valid file at every length, and flipping random bytes, must only ever yield a
     * Ddpo4jException (or a successful read): never another exception, never a JVM crash.
     */
    @Test
    void corruptedFilesOnlyEverThrowDdpo4jException() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafetensorsWriter.builder()
                .put("a", new float[] {1, 2, 3, 4, 5, 6}, 2, 3)
                .putF16("h", new float[] {1, -2}, 2)
                .putBF16("bf", new float[] {3}, 1)
                .putLongs("ids", new long[] {1, 2, 3}, 3)
                .putU8("u", new byte[] {1, 2}, 2)
                .putBools("m", new boolean[] {true, false}, 2)
                .putShorts("s", new short[] {7}, 1)
                .write(good, java.util.Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(good);
        Path bad = dir.resolve("bad.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            for (int len = 0; len < bytes.length; len++) {
                Files.write(bad, java.util.Arrays.copyOf(bytes, len));
                readEverything(bad, m);
            }
            Random rnd = new Random(7);
            for (int i = 0; i < 1500; i++) {
                byte[] b = bytes.clone();
                for (int k = 0; k <= rnd.nextInt(3); k++) {
                    int pos = rnd.nextInt(Math.min(b.length, 8 + 400));
                    b[pos] = (byte) rnd.nextInt(256);
                }
                Files.write(bad, b);
                readEverything(bad, m);
            }
        }
    }

    private static void readEverything(Path f, NDManager m) {
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            for (String k : r.keys()) {
                TensorInfo t = r.info(k);
                r.bytes(k);
                if (t.dtype().isFloat()) {
                    r.floats(k);
                } else if (t.dtype().isInteger()) {
                    r.longs(k);
                }
                try (ai.djl.ndarray.NDArray a = r.load(k, m)) {
                    assertEquals(t.djlShape(), a.getShape());
                }
            }
        } catch (Ddpo4jException expected) {
            assertTrue(expected.getMessage().contains(f.toString()), expected.getMessage());
        }
    }
}
