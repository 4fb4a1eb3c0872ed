package ddpo4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.code_intelligence.jazzer.junit.FuzzTest;
import ddpo4j.Ddpo4jException;
import ddpo4j.testing.FuzzScratch;
import java.nio.file.Path;

/**
 * Any bytes given to {@link SafetensorsReader} as a file either read completely (every entry's
 * info, raw bytes, Java array and NDArray, with the header's shape) or fail with a
 * Ddpo4jException naming the file: never another exception, never an allocation the file's size
 * cannot back (the fuzz JVM's small heap turns one into an OutOfMemoryError, a finding).
 * Seeds: {@code SafetensorsReaderFuzzTestInputs/openAndLoadEveryTensor/}.
 */
class SafetensorsReaderFuzzTest {
    private static final FuzzScratch SCRATCH = new FuzzScratch("safetensors-fuzz");

    @FuzzTest(maxDuration = "30s")
    void openAndLoadEveryTensor(byte[] content) {
        Path file = SCRATCH.write("fuzz.safetensors", content);
        try (SafetensorsReader reader = SafetensorsReader.open(file);
                NDManager manager = NDManager.newBaseManager()) {
            reader.metadata().forEach((k, v) -> assertTrue(k != null && v != null));
            for (String key : reader.keys()) {
                readTensor(reader, key, manager);
            }
        } catch (Ddpo4jException refused) {
            assertTrue(refused.getMessage().contains(file.toString()), "message lacks the file: " + refused.getMessage());
        }
    }

    private static void readTensor(SafetensorsReader reader, String key, NDManager manager) {
        TensorInfo info = reader.info(key);
        assertEquals(info.byteLength(), reader.bytes(key).remaining(), key);
        if (info.dtype().isFloat()) {
            assertEquals(info.numel(), reader.floats(key).length, key);
        } else if (info.dtype().isInteger()) {
            assertEquals(info.numel(), reader.longs(key).length, key);
        }
        try (NDArray array = reader.load(key, manager)) {
            assertEquals(info.djlShape(), array.getShape(), key);
        }
    }
}
