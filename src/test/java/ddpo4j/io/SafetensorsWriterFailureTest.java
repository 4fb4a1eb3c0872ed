package ddpo4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed write never changes an existing file and never leaves a temp file behind. */
class SafetensorsWriterFailureTest {
    @TempDir
    Path dir;

    private Path target;
    private byte[] original;

    @BeforeEach
    void existingFile() throws IOException {
        target = dir.resolve("model.safetensors");
        SafetensorsWriter.builder().put("old", new float[] {1, 2}, 2).write(target, Map.of("format", "pt"));
        original = Files.readAllBytes(target);
    }

    private void assertUntouched() throws IOException {
        assertArrayEquals(original, Files.readAllBytes(target));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList(), "stray files left behind");
        }
    }

    @Test
    void unsupportedNdArrayTypeIsRefusedBeforeWriting() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("fine", m.create(new float[] {3}));
            // STRING is the one unsupported type DJL on PyTorch can create without aborting the JVM.
            tensors.put("words", m.create(new String[] {"a", "b"}));
            Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> SafetensorsWriter.write(target, tensors, Map.of()));
            assertTrue(e.getMessage().contains("'words'") && e.getMessage().contains("STRING"), e.getMessage());
        }
        assertUntouched();
    }

    @Test
    void failureHalfwayThroughTheDataLeavesTheOldFile() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3});
            NDArray b = m.create(new float[] {4, 5, 6});
            SafetensorsWriter.Builder builder = SafetensorsWriter.builder().put("a", a).put("b", b);
            // "a" is written, then reading "b" fails: the temp file is already half-written.
            b.close();
            Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> builder.write(target, Map.of()));
            assertTrue(e.getMessage().contains(target.toString()) && e.getMessage().contains("'b'"), e.getMessage());
        }
        assertUntouched();
    }

    @Test
    void readOnlyFolder() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(dir), "running as root: a read-only folder is still writable");
            Ddpo4jException e = assertThrows(Ddpo4jException.class,
                    () -> SafetensorsWriter.builder().put("new", new float[] {9}, 1).write(target, Map.of()));
            assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertUntouched();
    }

    @Test
    void targetIsADirectory() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub.safetensors"));
        Ddpo4jException e = assertThrows(Ddpo4jException.class,
                () -> SafetensorsWriter.builder().put("x", new float[] {1}, 1).write(sub, Map.of()));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
        Files.delete(sub);
        assertUntouched();
    }

    @Test
    void missingFolder() throws IOException {
        Path f = dir.resolve("no/such/folder/x.safetensors");
        Ddpo4jException e = assertThrows(Ddpo4jException.class,
                () -> SafetensorsWriter.builder().put("x", new float[] {1}, 1).write(f, Map.of()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertUntouched();
    }

    @Test
    void builderRefusesBadInput() throws IOException {
        SafetensorsWriter.Builder b = SafetensorsWriter.builder().put("x", new float[] {1}, 1);
        assertMessage(() -> b.put("x", new float[] {1}, 1), "duplicate tensor name 'x'");
        assertMessage(() -> b.put("__metadata__", new float[] {1}, 1), "reserved");
        assertMessage(() -> b.put("", new float[] {1}, 1), "empty");
        assertMessage(() -> b.put("y", new float[] {1, 2, 3}, 2, 2), "holds 4 elements but 3 were given");
        assertMessage(() -> b.put("y", new float[] {1}, -1), "negative");
        assertMessage(() -> b.putLongs("y", null, 1), "null data");
        assertMessage(() -> b.putRaw("y", SafeDType.F32, java.nio.ByteBuffer.allocate(6), 2), "whole number");
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        assertMessage(() -> b.write(target, nullValue), "null key or value");
        assertUntouched();
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        Ddpo4jException e = assertThrows(Ddpo4jException.class, call);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
