package ddpo4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the shared tiny-sd fixture (written by the Python reference side); skipped when absent. */
class SafetensorsFixtureTest {
    private static final Path FIXTURE = Path.of("..", "shared", "fixtures", "tiny-sd");

    @TempDir
    Path dir;

    @BeforeEach
    void needFixture() {
        assumeTrue(Files.isDirectory(FIXTURE), "../shared/fixtures absent: skipping tiny-sd fixture tests");
    }

    @Test
    void unetWeightsAllLoad() {
        try (SafetensorsReader r = SafetensorsReader.open(FIXTURE.resolve("unet/diffusion_pytorch_model.safetensors"));
                NDManager m = NDManager.newBaseManager()) {
            assertEquals("pt", r.metadata().get("format"));
            assertTrue(r.keys().size() > 100, "keys: " + r.keys().size());
            assertEquals(SafeDType.F32, r.info("conv_in.weight").dtype());
            assertArrayEquals(new long[] {32, 4, 3, 3}, r.info("conv_in.weight").shape());
            assertArrayEquals(new long[] {32}, r.info("conv_in.bias").shape());
            assertEquals(new Shape(4, 32, 3, 3), r.info("conv_out.weight").djlShape());
            for (String k : r.keys()) {
                TensorInfo t = r.info(k);
                try (NDArray a = r.load(k, m)) {
                    assertEquals(DataType.FLOAT32, a.getDataType(), k);
                    assertEquals(t.djlShape(), a.getShape(), k);
                    assertArrayEquals(r.floats(k), a.toFloatArray(), k);
                }
            }
        }
    }

    @Test
    void referenceTextTokenIdsAndMetadata() {
        try (SafetensorsReader r = SafetensorsReader.open(FIXTURE.resolve("reference/text.safetensors"));
                NDManager m = NDManager.newBaseManager()) {
            assertEquals(List.of("input_ids", "last_hidden_state"), List.copyOf(r.keys()));
            assertTrue(r.metadata().get("prompts").startsWith("[\"a photo of a cat\", \"three red circles\""),
                    r.metadata().get("prompts"));
            assertEquals(SafeDType.I64, r.info("input_ids").dtype());
            assertArrayEquals(new long[] {6, 77}, r.info("input_ids").shape());
            long[] ids = r.longs("input_ids");
            assertEquals(6 * 77, ids.length);
            for (int row = 0; row < 6; row++) {
                assertEquals(705, ids[row * 77], "row " + row + " starts with <|startoftext|>");
                assertEquals(706, ids[row * 77 + 76], "row " + row + " ends with <|endoftext|> or padding");
            }
            NDArray a = r.load("input_ids", m);
            assertEquals(DataType.INT64, a.getDataType());
            assertEquals(new Shape(6, 77), a.getShape());
            assertArrayEquals(ids, a.toLongArray());
            NDArray h = r.load("last_hidden_state", m);
            assertEquals(new Shape(6, 77, 32), h.getShape());
        }
    }

    /** Our writer reproduces every fixture file byte for byte from its tensors and metadata. */
    @Test
    void rewritingEveryFixtureFileIsByteIdentical() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(FIXTURE)) {
            files = s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
        assertTrue(files.size() >= 5, "fixture files: " + files);
        try (NDManager m = NDManager.newBaseManager()) {
            for (Path f : files) {
                Path copy = dir.resolve(f.getFileName());
                try (SafetensorsReader r = SafetensorsReader.open(f)) {
                    SafetensorsWriter.Builder b = SafetensorsWriter.builder();
                    for (String k : r.keys()) {
                        TensorInfo t = r.info(k);
                        b.putRaw(k, t.dtype(), r.bytes(k), t.shape());
                        r.load(k, m).close();
                    }
                    b.write(copy, r.metadata());
                }
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(copy), f.toString());
            }
        }
    }
}
