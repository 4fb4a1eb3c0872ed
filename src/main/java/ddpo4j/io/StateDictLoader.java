package ddpo4j.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ddpo4j.Ddpo4jException;
import ddpo4j.nn.Module;
import ddpo4j.nn.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Strict state-dict loading: the file's keys (after an optional renaming) must be exactly the
 * module's parameter names with the declared shapes. Every missing, unexpected and mis-shaped key
 * is listed in one error, and nothing is allocated unless all of them match.
 */
public final class StateDictLoader {
    private static final int MAX_LISTED = 25;

    private StateDictLoader() {}

    /** Loads every parameter of {@code module} from {@code reader} into float32 arrays in {@code manager}. */
    public static void load(Module module, SafetensorsReader reader, NDManager manager, UnaryOperator<String> rename) {
        load(module, reader, manager, rename, key -> true);
    }

    /**
     * As {@link #load(Module, SafetensorsReader, NDManager, UnaryOperator)}, for the file keys
     * {@code keep} accepts only: the others are skipped, never read (e.g. the text tower of a full
     * CLIPModel file when only its vision tower is wanted). Kept keys are checked as strictly.
     */
    public static void load(Module module, SafetensorsReader reader, NDManager manager, UnaryOperator<String> rename,
            Predicate<String> keep) {
        load(module, reader.file().toString(), reader.keys(), key -> new Shape(reader.info(key).shape()),
                key -> reader.load(key, manager), rename, keep);
    }

    /**
     * Strictly loads already-created tensors (e.g. weights read from another format), keyed by
     * state-dict name; {@code source} names their origin in errors. The arrays become the
     * parameters' values, so they must live in the manager the parameters should live in.
     */
    public static void load(Module module, String source, Map<String, NDArray> tensors) {
        load(module, source, tensors.keySet(), key -> tensors.get(key).getShape(), tensors::get,
                UnaryOperator.identity(), key -> true);
    }

    private static void load(Module module, String source, Iterable<String> fileKeys, Function<String, Shape> shapeOf,
            Function<String, NDArray> loader, UnaryOperator<String> rename, Predicate<String> keep) {
        Map<String, Parameter> params = module.namedParameters();
        Map<String, Shape> buffers = module.namedOptionalBuffers();
        Map<String, String> fileKeyFor = new LinkedHashMap<>();
        List<String> unexpected = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        for (String fileKey : fileKeys) {
            if (!keep.test(fileKey)) {
                continue;
            }
            String key = rename.apply(fileKey);
            Shape fileShape = shapeOf.apply(fileKey);
            Parameter p = params.get(key);
            Shape want = p != null ? p.shape() : buffers.get(key);
            if (want == null) {
                unexpected.add(fileKey);
            } else if (!compatible(fileShape, want)) {
                misShaped.add(fileKey + " (file " + fileShape + ", model " + want + ")");
            } else if (p != null && fileKeyFor.put(key, fileKey) != null) {
                unexpected.add(fileKey + " (duplicate of " + fileKeyFor.get(key) + ")");
            }
        }
        Set<String> missing = new HashSet<>(params.keySet());
        missing.removeAll(fileKeyFor.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty() || !misShaped.isEmpty()) {
            List<String> sortedMissing = new ArrayList<>(missing);
            Collections.sort(sortedMissing);
            StringBuilder msg = new StringBuilder("cannot load ").append(source).append(" into ")
                    .append(module.getClass().getSimpleName()).append(':');
            describe(msg, "missing", sortedMissing);
            describe(msg, "unexpected", unexpected);
            describe(msg, "mis-shaped", misShaped);
            throw new Ddpo4jException(msg.toString());
        }
        for (Map.Entry<String, String> e : fileKeyFor.entrySet()) {
            Parameter p = params.get(e.getKey());
            NDArray value = loader.apply(e.getValue());
            if (value.getDataType() != DataType.FLOAT32) {
                throw new Ddpo4jException(source + ": tensor " + e.getValue() + " has dtype "
                        + value.getDataType() + ", expected a floating-point type");
            }
            p.set(value.getShape().equals(p.shape()) ? value : value.reshape(p.shape()));
        }
    }

    /** Equal shapes, or a 1x1 convolution kernel stored for a linear layer (old VAE attention checkpoints). */
    private static boolean compatible(Shape file, Shape want) {
        if (file.equals(want)) {
            return true;
        }
        return file.dimension() == want.dimension() + 2 && file.get(file.dimension() - 1) == 1
                && file.get(file.dimension() - 2) == 1 && file.slice(0, want.dimension()).equals(want);
    }

    private static void describe(StringBuilder msg, String what, List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        msg.append("\n  ").append(keys.size()).append(' ').append(what).append(" key(s): ");
        msg.append(String.join(", ", keys.subList(0, Math.min(MAX_LISTED, keys.size()))));
        if (keys.size() > MAX_LISTED) {
            msg.append(", … (").append(keys.size() - MAX_LISTED).append(" more)");
        }
    }
}
