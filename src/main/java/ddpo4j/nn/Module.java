package ddpo4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node of a network: parameters and child modules registered under the names PyTorch uses, so
 * that {@link #namedParameters()} yields exactly the keys of the reference {@code state_dict()}.
 */
public abstract class Module {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Shape> optionalBuffers = new LinkedHashMap<>();

    /** Declares a parameter of the given shape under {@code name}. */
    protected final Parameter parameter(String name, long... shape) {
        Parameter p = new Parameter(new Shape(shape));
        if (parameters.put(name, p) != null || children.containsKey(name)) {
            throw new IllegalStateException("duplicate name " + name + " in " + getClass().getSimpleName());
        }
        return p;
    }

    /** Registers {@code module} as a child under {@code name} and returns it. */
    protected final <M extends Module> M child(String name, M module) {
        if (children.put(name, module) != null || parameters.containsKey(name)) {
            throw new IllegalStateException("duplicate name " + name + " in " + getClass().getSimpleName());
        }
        return module;
    }

    /**
     * Declares a non-trainable buffer that checkpoints may or may not contain (transformers'
     * {@code position_ids}, persistent in some versions only): accepted when present, never required.
     */
    protected final void optionalBuffer(String name, long... shape) {
        optionalBuffers.put(name, new Shape(shape));
    }

    /** All parameters, depth first, keyed by their dotted state-dict name. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        parameters.forEach((name, p) -> out.put(prefix + name, p));
        children.forEach((name, m) -> m.collect(prefix + name + ".", out));
    }

    /** Every module of the tree, depth first, keyed by dotted path ("" for this one). */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String path, Map<String, Module> out) {
        out.put(path, this);
        children.forEach((name, m) -> m.collectModules(path.isEmpty() ? name : path + "." + name, out));
    }

    /** Optional buffers of the whole tree, keyed by dotted name, with their shapes. */
    public final Map<String, Shape> namedOptionalBuffers() {
        Map<String, Shape> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return out;
    }

    private void collectBuffers(String prefix, Map<String, Shape> out) {
        optionalBuffers.forEach((name, s) -> out.put(prefix + name, s));
        children.forEach((name, m) -> m.collectBuffers(prefix + name + ".", out));
    }

    /** Direct children in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Number of scalar weights (buffers excluded), computed from declared shapes. */
    public final long parameterCount() {
        return namedParameters().values().stream().mapToLong(p -> p.shape().size()).sum();
    }

    /** The values of all parameters, for scoping them to a step manager. */
    public final NDArray[] parameterValues() {
        return namedParameters().values().stream().map(Parameter::value).toArray(NDArray[]::new);
    }
}
