package ddpo4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void headerLayoutIsCompactSortedPaddedAndLittleEndian() throws IOException {
        Path f = dir.resolve("layout.safetensors");
        SafetensorsWriter.builder()
                .putLongs("b", new long[] {1}, 1)
                .put("a", new float[] {1f, -2f}, 2)
                .write(f, Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(f);
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[8,16]}}";
        int padded = (json.length() + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(padded, b.getLong(0));
        assertEquals(json + " ".repeat(padded - json.length()), new String(bytes, 8, padded, StandardCharsets.UTF_8));
        assertEquals(8 + padded + 16, bytes.length);
        assertEquals(1f, b.getFloat(8 + padded));
        assertEquals(-2f, b.getFloat(8 + padded + 4));
        assertEquals(1L, b.getLong(8 + padded + 8));
        // Little endian on disk: the float 1.0 is 00 00 80 3F.
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F}, Arrays.copyOfRange(bytes, 8 + padded, 8 + padded + 4));
    }

    @Test
    void noMetadataMeansNoMetadataKey() throws IOException {
        Path f = dir.resolve("nometa.safetensors");
        SafetensorsWriter.builder().put("x", new float[] {1}, 1).write(f, null);
        String header = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
        assertFalse(header.contains("__metadata__"));
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            assertTrue(r.metadata().isEmpty());
        }
    }

    @Test
    void everyDtypeRoundTripsThroughJavaArrays() throws IOException {
        Path f = dir.resolve("all.safetensors");
        float[] f32 = {0f, -0f, 1.5f, -3.25e-30f, Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        double[] f64 = {Math.PI, -1e300, 0.1};
        long[] i64 = {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE};
        int[] i32 = {Integer.MIN_VALUE, -7, Integer.MAX_VALUE};
        short[] i16 = {Short.MIN_VALUE, -1, 12345, Short.MAX_VALUE};
        byte[] i8 = {-128, -1, 0, 127};
        byte[] u8 = {0, 1, (byte) 128, (byte) 255};
        boolean[] bools = {true, false, false, true};
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("prompts", "[\"Café ☕ 🐱\", \"a\\\"b\"]");
        meta.put("empty", "");
        SafetensorsWriter.builder()
                .put("f32", f32, 2, 3)
                .putF64("f64", f64, 3)
                .putF16("f16", new float[] {1f, -2f, 65504f, 0x1p-24f, 1e6f, 0.1f}, 6)
                .putBF16("bf16", new float[] {1f, -2f, 3.14159f}, 3)
                .putLongs("i64", i64, 2, 2)
                .putInts("i32", i32, 3)
                .putShorts("i16", i16, 4)
                .putI8("i8", i8, 4)
                .putU8("u8", u8, 2, 2)
                .putBools("bool", bools, 4)
                .put("scalar", new float[] {42f})
                .put("empty", new float[0], 0, 3)
                .write(f, meta);

        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            assertEquals(f, r.file());
            assertEquals(new TreeMap<>(meta), new TreeMap<>(r.metadata()));
            assertEquals(List.of("bf16", "bool", "empty", "f16", "f32", "f64", "i16", "i32", "i64", "i8", "scalar", "u8"),
                    List.copyOf(r.keys()));
            assertEquals(SafeDType.F32, r.info("f32").dtype());
            assertArrayEquals(new long[] {2, 3}, r.info("f32").shape());
            assertEquals(new Shape(2, 3), r.info("f32").djlShape());
            assertEquals(6, r.info("f32").numel());
            assertArrayEquals(f32, r.floats("f32"));
            assertArrayEquals(new float[] {(float) Math.PI, Float.NEGATIVE_INFINITY, 0.1f}, r.floats("f64"));
            assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY, 0.0999755859375f},
                    r.floats("f16"));
            assertArrayEquals(new float[] {1f, -2f, 3.140625f}, r.floats("bf16"));
            assertArrayEquals(i64, r.longs("i64"));
            assertArrayEquals(new long[] {Integer.MIN_VALUE, -7, Integer.MAX_VALUE}, r.longs("i32"));
            assertArrayEquals(new long[] {Short.MIN_VALUE, -1, 12345, Short.MAX_VALUE}, r.longs("i16"));
            assertArrayEquals(new long[] {-128, -1, 0, 127}, r.longs("i8"));
            assertArrayEquals(new long[] {0, 1, 128, 255}, r.longs("u8"));
            assertArrayEquals(new byte[] {1, 0, 0, 1}, toBytes(r.bytes("bool")));
            assertArrayEquals(new long[0], r.info("scalar").shape());
            assertEquals(1, r.info("scalar").numel());
            assertArrayEquals(new float[] {42f}, r.floats("scalar"));
            assertEquals(0, r.info("empty").numel());

            ByteBuffer raw = r.bytes("i64");
            assertTrue(raw.isReadOnly());
            assertEquals(ByteOrder.LITTLE_ENDIAN, raw.order());
            assertEquals(Long.MIN_VALUE, raw.getLong(0));

            try (NDManager m = NDManager.newBaseManager()) {
                NDArray a = r.load("f32", m);
                assertEquals(DataType.FLOAT32, a.getDataType());
                assertEquals(new Shape(2, 3), a.getShape());
                assertArrayEquals(f32, a.toFloatArray());
                assertEquals("f32", a.getName());
                assertLoad(r, m, "f64", DataType.FLOAT32, new Shape(3));
                assertArrayEquals(r.floats("f64"), r.load("f64", m).toFloatArray());
                assertArrayEquals(r.floats("f16"), r.load("f16", m).toFloatArray());
                assertArrayEquals(r.floats("bf16"), r.load("bf16", m).toFloatArray());
                assertEquals(DataType.FLOAT32, r.load("bf16", m).getDataType());
                assertLoad(r, m, "i64", DataType.INT64, new Shape(2, 2));
                assertArrayEquals(i64, r.load("i64", m).toLongArray());
                assertLoad(r, m, "i32", DataType.INT32, new Shape(3));
                assertArrayEquals(i32, r.load("i32", m).toIntArray());
                assertLoad(r, m, "i16", DataType.INT32, new Shape(4));
                assertArrayEquals(new int[] {Short.MIN_VALUE, -1, 12345, Short.MAX_VALUE}, r.load("i16", m).toIntArray());
                assertLoad(r, m, "i8", DataType.INT8, new Shape(4));
                assertArrayEquals(i8, r.load("i8", m).toByteArray());
                assertLoad(r, m, "u8", DataType.UINT8, new Shape(2, 2));
                assertArrayEquals(new int[] {0, 1, 128, 255}, r.load("u8", m).toUint8Array());
                assertLoad(r, m, "bool", DataType.BOOLEAN, new Shape(4));
                assertArrayEquals(bools, r.load("bool", m).toBooleanArray());
                assertLoad(r, m, "scalar", DataType.FLOAT32, new Shape());
                assertEquals(42f, r.load("scalar", m).getFloat());
                assertLoad(r, m, "empty", DataType.FLOAT32, new Shape(0, 3));

                Map<String, NDArray> all = r.loadAll(m);
                assertEquals(List.copyOf(r.keys()), List.copyOf(all.keySet()));
            }
        }
    }

    @Test
    void f16AndBf16PatternsWidenToHandComputedValues() throws IOException {
        Path f = dir.resolve("half.safetensors");
        short[] f16 = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001, 0x7C00, (short) 0xFC00, (short) 0x8000, 0x03FF, 0x0400};
        float[] f16Expected = {1f, -2f, 65504f, (float) 5.960464477539063e-8, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, -0f, 6.097555160522461e-5f, 6.103515625e-5f};
        short[] bf16 = {0x3F80, (short) 0xC000, 0x7F80, 0x4049};
        float[] bf16Expected = {1f, -2f, Float.POSITIVE_INFINITY, 3.140625f};
        SafetensorsWriter.builder()
                .putRaw("h", SafeDType.F16, ByteBuffer.wrap(RawSafetensors.le(f16)), f16.length)
                .putRaw("nan", SafeDType.F16, ByteBuffer.wrap(RawSafetensors.le((short) 0x7E00)), 1)
                .putRaw("b", SafeDType.BF16, ByteBuffer.wrap(RawSafetensors.le(bf16)), bf16.length)
                .write(f, Map.of());
        try (SafetensorsReader r = SafetensorsReader.open(f); NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(f16Expected, r.floats("h"));
            assertArrayEquals(f16Expected, r.load("h", m).toFloatArray());
            assertTrue(Float.isNaN(r.floats("nan")[0]));
            assertTrue(Float.isNaN(r.load("nan", m).toFloatArray()[0]));
            assertArrayEquals(bf16Expected, r.floats("b"));
            assertArrayEquals(bf16Expected, r.load("b", m).toFloatArray());
        }
    }

    @Test
    void ndArraysOfEverySupportedTypeRoundTrip() throws IOException {
        Path f = dir.resolve("nd.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> in = new LinkedHashMap<>();
            in.put("f32", m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3)));
            in.put("f64", m.create(new double[] {0.5, -1}));
            in.put("f16", m.create(new float[] {1f, -2f, 65504f}).toType(DataType.FLOAT16, false));
            in.put("i64", m.create(new long[] {705, 706}, new Shape(1, 2)));
            in.put("i32", m.create(new int[] {-5, 5}));
            in.put("i8", m.create(new byte[] {-3, 3}).toType(DataType.INT8, false));
            in.put("u8", m.create(ByteBuffer.wrap(new byte[] {0, (byte) 200}), new Shape(2), DataType.UINT8));
            in.put("bool", m.create(new boolean[] {true, false, true}));
            // A transposed view is written in logical (row-major) order.
            in.put("t", m.arange(6f).reshape(2, 3).transpose());
            SafetensorsWriter.write(f, in, Map.of("format", "pt"));

            try (SafetensorsReader r = SafetensorsReader.open(f)) {
                assertEquals(SafeDType.F32, r.info("f32").dtype());
                assertEquals(SafeDType.F64, r.info("f64").dtype());
                assertEquals(SafeDType.F16, r.info("f16").dtype());
                assertEquals(SafeDType.I64, r.info("i64").dtype());
                assertEquals(SafeDType.I32, r.info("i32").dtype());
                assertEquals(SafeDType.I8, r.info("i8").dtype());
                assertEquals(SafeDType.U8, r.info("u8").dtype());
                assertEquals(SafeDType.BOOL, r.info("bool").dtype());
                assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, r.floats("f32"));
                assertArrayEquals(new long[] {2, 3}, r.info("f32").shape());
                assertArrayEquals(new float[] {0.5f, -1f}, r.floats("f64"));
                assertArrayEquals(new float[] {1f, -2f, 65504f}, r.floats("f16"));
                assertArrayEquals(new long[] {705, 706}, r.longs("i64"));
                assertArrayEquals(new long[] {1, 2}, r.info("i64").shape());
                assertArrayEquals(new long[] {-5, 5}, r.longs("i32"));
                assertArrayEquals(new long[] {-3, 3}, r.longs("i8"));
                assertArrayEquals(new long[] {0, 200}, r.longs("u8"));
                assertArrayEquals(new boolean[] {true, false, true}, r.load("bool", m).toBooleanArray());
                assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, r.floats("t"));
                assertArrayEquals(new long[] {3, 2}, r.info("t").shape());
                for (String k : in.keySet()) {
                    try (NDArray back = r.load(k, m)) {
                        assertEquals(in.get(k).getShape(), back.getShape(), k);
                    }
                }
            }
        }
    }

    @Test
    void loadedArraysOwnTheirMemory() throws IOException {
        Path f = dir.resolve("own.safetensors");
        SafetensorsWriter.builder().put("w", new float[] {1, 2, 3}, 3).write(f, Map.of());
        byte[] before = Files.readAllBytes(f);
        try (SafetensorsReader r = SafetensorsReader.open(f); NDManager m = NDManager.newBaseManager()) {
            NDArray a = r.load("w", m);
            // In place: would crash the JVM if the array aliased the read-only mapping.
            a.addi(10);
            assertArrayEquals(new float[] {11, 12, 13}, a.toFloatArray());
            assertArrayEquals(new float[] {1, 2, 3}, r.load("w", m).toFloatArray());
            assertArrayEquals(new float[] {1, 2, 3}, r.floats("w"));
        }
        try (NDManager m = NDManager.newBaseManager()) {
            // The array outlives the reader and the mapping.
            NDArray a;
            try (SafetensorsReader r = SafetensorsReader.open(f)) {
                a = r.load("w", m);
            }
            System.gc();
            assertArrayEquals(new float[] {1, 2, 3}, a.toFloatArray());
        }
        assertArrayEquals(before, Files.readAllBytes(f));
    }

    @Test
    void tensorsLargerThanOneStagingChunkLoadCorrectly() throws IOException {
        Path f = dir.resolve("big.safetensors");
        int n = 5_000_000; // 20 MB as float32: several 16 MiB staging chunks
        float[] ramp = new float[n];
        long[] ids = new long[n / 2];
        for (int i = 0; i < n; i++) {
            ramp[i] = (i % 2048) - 1024; // exact in F16 too
        }
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (long) i * 1_000_003L;
        }
        SafetensorsWriter.builder()
                .putF16("h", ramp, 5, 1_000_000)
                .put("f", ramp, 1_000_000, 5)
                .putLongs("ids", ids, ids.length)
                .write(f, Map.of());
        try (SafetensorsReader r = SafetensorsReader.open(f); NDManager m = NDManager.newBaseManager()) {
            NDArray h = r.load("h", m);
            assertEquals(new Shape(5, 1_000_000), h.getShape());
            assertArrayEquals(ramp, h.toFloatArray());
            NDArray fl = r.load("f", m);
            assertEquals(new Shape(1_000_000, 5), fl.getShape());
            assertArrayEquals(ramp, fl.toFloatArray());
            assertArrayEquals(ids, r.load("ids", m).toLongArray());
        }
    }

    @Test
    void misalignedTensorsReadCorrectly() throws IOException {
        Path f = dir.resolve("odd.safetensors");
        // "a" is 3 bytes, so "b" starts at an odd offset of the data section.
        SafetensorsWriter.builder()
                .putU8("a", new byte[] {1, 2, 3}, 3)
                .put("b", new float[] {1.25f, -7f}, 2)
                .putLongs("c", new long[] {Long.MAX_VALUE}, 1)
                .write(f, Map.of());
        try (SafetensorsReader r = SafetensorsReader.open(f); NDManager m = NDManager.newBaseManager()) {
            assertEquals(3, r.info("b").begin());
            assertArrayEquals(new float[] {1.25f, -7f}, r.floats("b"));
            assertArrayEquals(new float[] {1.25f, -7f}, r.load("b", m).toFloatArray());
            assertArrayEquals(new long[] {Long.MAX_VALUE}, r.load("c", m).toLongArray());
        }
    }

    @Test
    void writingTwiceReplacesTheFileAndLeavesNoTempFiles() throws IOException {
        Path f = dir.resolve("w.safetensors");
        SafetensorsWriter.builder().put("x", new float[] {1}, 1).write(f, Map.of("v", "1"));
        SafetensorsWriter.builder().put("y", new float[] {2, 3}, 2).write(f, Map.of("v", "2"));
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            assertEquals(List.of("y"), List.copyOf(r.keys()));
            assertEquals("2", r.metadata().get("v"));
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
    }

    private static void assertLoad(SafetensorsReader r, NDManager m, String key, DataType type, Shape shape) {
        try (NDArray a = r.load(key, m)) {
            assertEquals(type, a.getDataType(), key);
            assertEquals(shape, a.getShape(), key);
            assertTrue(a.getManager() == m, key);
        }
    }

    private static byte[] toBytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
