package ddpo4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files beyond 2 GiB, without writing 2 GiB: a sparse file whose header places a small tensor
 * past the 2 GiB mark and declares another tensor of exactly 2 GiB.
 */
class SafetensorsLargeFileTest {
    private static final long TWO_GIB = 1L << 31;

    @TempDir
    Path dir;

    @Test
    void tensorBeyondTwoGibIsMappedAndTwoGibTensorIsRefused() throws IOException {
        long far = TWO_GIB + 1000;
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"far\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[" + far + "," + (far + 16) + "]},"
                + "\"huge\":{\"dtype\":\"U8\",\"shape\":[" + TWO_GIB + "],\"data_offsets\":[0," + TWO_GIB + "]}}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        long dataStart = 8 + header.length;
        Path f = dir.resolve("sparse.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(dataStart + far + 16); // sparse: costs no disk
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            raf.write(header);
            raf.seek(dataStart + far);
            ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            data.putFloat(1.5f).putFloat(-2f).putFloat(3f).putFloat(1e-3f);
            raf.write(data.array());
        }

        try (SafetensorsReader r = SafetensorsReader.open(f); NDManager m = NDManager.newBaseManager()) {
            assertTrue(dataStart + r.info("far").begin() > TWO_GIB);
            float[] expected = {1.5f, -2f, 3f, 1e-3f};
            assertEquals(16, r.bytes("far").capacity());
            assertArrayEquals(expected, r.floats("far"));
            assertArrayEquals(expected, r.load("far", m).toFloatArray());

            assertEquals(TWO_GIB, r.info("huge").byteLength());
            for (org.junit.jupiter.api.function.Executable call : new org.junit.jupiter.api.function.Executable[] {
                () -> r.bytes("huge"), () -> r.longs("huge"), () -> r.load("huge", m)}) {
                Ddpo4jException e = assertThrows(Ddpo4jException.class, call);
                assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("'huge'")
                        && e.getMessage().contains("2 GiB"), e.getMessage());
            }
        }
    }
}
