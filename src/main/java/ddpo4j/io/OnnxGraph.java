package ddpo4j.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.Ddpo4jException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of an ONNX model file, read straight from its protobuf encoding (no ONNX Runtime):
 * the graph's initializers and its nodes' names, types and inputs. Enough to recover a PyTorch
 * state dict from a {@code torch.onnx.export}ed model and run it on our own modules.
 */
public final class OnnxGraph {
    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    /** An initializer: little-endian data of type FLOAT or INT64. */
    public record Tensor(String name, long[] dims, int dataType, ByteBuffer data) {
        public long numel() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }
    }

    /** A node: its name (torch.onnx names it after the module path, e.g. {@code /encoder/layer.0/…/MatMul}). */
    public record Node(String name, String opType, List<String> inputs) {}

    private final String source;
    private final Map<String, Tensor> initializers = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();

    private OnnxGraph(String source) {
        this.source = source;
    }

    /** Parses a whole {@code .onnx} file held in memory; {@code source} names it in errors. */
    public static OnnxGraph parse(byte[] model, String source) {
        OnnxGraph g = new OnnxGraph(source);
        try {
            Reader m = new Reader(ByteBuffer.wrap(model));
            boolean sawGraph = false;
            while (m.hasMore()) {
                int tag = m.tag();
                if (tag >>> 3 == 7 && (tag & 7) == 2) { // ModelProto.graph
                    g.readGraph(m.sub());
                    sawGraph = true;
                } else {
                    m.skip(tag);
                }
            }
            if (!sawGraph) {
                throw new Ddpo4jException(source + " holds no ONNX graph");
            }
        } catch (RuntimeException e) {
            if (e instanceof Ddpo4jException) {
                throw e;
            }
            throw new Ddpo4jException(source + " is not a readable ONNX model: " + e, e);
        }
        return g;
    }

    private void readGraph(Reader r) {
        while (r.hasMore()) {
            int tag = r.tag();
            int field = tag >>> 3;
            if (field == 1 && (tag & 7) == 2) {
                nodes.add(readNode(r.sub()));
            } else if (field == 5 && (tag & 7) == 2) {
                Tensor t = readTensor(r.sub());
                initializers.put(t.name(), t);
            } else {
                r.skip(tag);
            }
        }
    }

    private static Node readNode(Reader r) {
        List<String> inputs = new ArrayList<>();
        String name = "";
        String op = "";
        while (r.hasMore()) {
            int tag = r.tag();
            switch (tag >>> 3) {
                case 1 -> inputs.add(r.string());
                case 3 -> name = r.string();
                case 4 -> op = r.string();
                default -> r.skip(tag);
            }
        }
        return new Node(name, op, inputs);
    }

    private Tensor readTensor(Reader r) {
        List<Long> dims = new ArrayList<>();
        int type = 0;
        String name = null;
        ByteBuffer raw = null;
        List<Float> floats = new ArrayList<>();
        while (r.hasMore()) {
            int tag = r.tag();
            int field = tag >>> 3;
            int wire = tag & 7;
            if (field == 1 && wire == 0) {
                dims.add(r.varint());
            } else if (field == 1 && wire == 2) { // packed dims
                Reader p = r.sub();
                while (p.hasMore()) {
                    dims.add(p.varint());
                }
            } else if (field == 2 && wire == 0) {
                type = (int) r.varint();
            } else if (field == 8 && wire == 2) {
                name = r.string();
            } else if (field == 9 && wire == 2) {
                raw = r.bytes();
            } else if (field == 4 && wire == 2) { // packed float_data
                ByteBuffer b = r.bytes();
                while (b.hasRemaining()) {
                    floats.add(b.getFloat());
                }
            } else if (field == 4 && wire == 5) {
                floats.add(Float.intBitsToFloat(r.fixed32()));
            } else if (field == 14 && wire == 0 && r.varint() == 1) {
                throw new Ddpo4jException(source + ": tensor " + name + " keeps its data in an external file,"
                        + " which is not supported");
            } else {
                r.skip(tag);
            }
        }
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        if (raw == null && !floats.isEmpty()) {
            raw = ByteBuffer.allocate(4 * floats.size()).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : floats) {
                raw.putFloat(f);
            }
            raw.flip();
        }
        Tensor t = new Tensor(name, d, type, raw == null ? ByteBuffer.allocate(0) : raw);
        int width = type == FLOAT ? 4 : type == INT64 ? 8 : -1;
        if (width > 0 && t.data().remaining() != t.numel() * width) {
            throw new Ddpo4jException(source + ": tensor " + name + " has " + t.data().remaining() + " bytes for "
                    + t.numel() + " elements");
        }
        return t;
    }

    /**
     * The PyTorch state dict of a {@code torch.onnx.export}ed model: float initializers already
     * named as state-dict keys are kept; the weight of a {@code Linear} exported as a
     * {@code MatMul} with an anonymous initializer ({@code onnx::MatMul_787}, stored transposed as
     * (in, out)) is named after its node ({@code /encoder/layer.0/attention/self/query/MatMul} →
     * {@code encoder.layer.0.attention.self.query.weight}) and transposed back to (out, in).
     * Non-float initializers (index buffers) are left out.
     */
    public Map<String, NDArray> torchStateDict(NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        Map<String, String> matmulWeights = new LinkedHashMap<>();
        for (Node n : nodes) {
            if (n.opType().equals("MatMul") && n.inputs().size() == 2 && initializers.containsKey(n.inputs().get(1))
                    && n.name().startsWith("/") && n.name().endsWith("/MatMul")) {
                String module = n.name().substring(1, n.name().length() - "/MatMul".length()).replace('/', '.');
                matmulWeights.put(n.inputs().get(1), module + ".weight");
            }
        }
        for (Tensor t : initializers.values()) {
            if (t.dataType() != FLOAT) {
                continue;
            }
            float[] values = new float[(int) t.numel()];
            t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            NDArray a = manager.create(values, new Shape(t.dims()));
            String key = matmulWeights.get(t.name());
            if (key != null) {
                if (t.dims().length != 2) {
                    throw new Ddpo4jException(source + ": MatMul weight " + t.name() + " is not 2-D");
                }
                NDArray transposed = a.transpose().duplicate(); // contiguous (out, in)
                a.close();
                out.put(key, transposed);
            } else if (!t.name().contains("::")) {
                out.put(t.name(), a);
            } else {
                a.close();
                throw new Ddpo4jException(source + ": cannot tell which module initializer " + t.name() + " belongs to");
            }
        }
        return out;
    }

    /** Protobuf wire-format reading over a byte range. */
    private static final class Reader {
        private final ByteBuffer b;

        Reader(ByteBuffer b) {
            this.b = b.slice().order(ByteOrder.LITTLE_ENDIAN);
        }

        boolean hasMore() {
            return b.hasRemaining();
        }

        int tag() {
            return (int) varint();
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte x = b.get();
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
            }
            throw new IllegalStateException("malformed varint");
        }

        int fixed32() {
            return b.getInt();
        }

        ByteBuffer bytes() {
            int len = Math.toIntExact(varint());
            ByteBuffer out = b.slice().limit(len).order(ByteOrder.LITTLE_ENDIAN);
            b.position(b.position() + len);
            return out;
        }

        Reader sub() {
            return new Reader(bytes());
        }

        String string() {
            ByteBuffer s = bytes();
            byte[] a = new byte[s.remaining()];
            s.get(a);
            return new String(a, StandardCharsets.UTF_8);
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> b.position(b.position() + 8);
                case 2 -> bytes();
                case 5 -> b.position(b.position() + 4);
                default -> throw new IllegalStateException("unsupported wire type " + (tag & 7));
            }
        }
    }
}
