package ddpo4j.tensor;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ddpo4j.nn.Gradients;
import ddpo4j.nn.Module;
import ddpo4j.nn.Parameter;
import ddpo4j.testing.RandomWeights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Checks autograd against central differences. Given a function of some arrays to a scalar, it
 * takes the gradient w.r.t. every input by {@code backward} inside a {@code GradientCollector}, then
 * re-evaluates the function (grad mode off) at {@code x ± h} on a few coordinates of each input:
 * the coordinate with the largest autograd gradient plus a handful of random ones.
 *
 * <p>Error measure, per coordinate: {@code |autograd - numeric| / max(|autograd|, |numeric|, floor)}
 * with {@code floor = max(1e-3 * max|autograd| over that input, absoluteFloor)}. Central
 * differences resolve a derivative only to about {@code eps * |f| / h} (1e-11 to 1e-10 in float64
 * with {@code h = 1e-5}), so gradients that are zero in exact arithmetic (a key bias under softmax) or tiny next to the
 * input's largest are compared against that scale, not against rounding noise. In float64 a correct
 * gradient typically scores 1e-9 to 1e-6.
 *
 * <pre>{@code
 * GradientCheck.of("linear", a -> GradientCheck.project(Functional.linear(a[0], a[1], a[2])))
 *         .check(x, weight, bias);
 * }</pre>
 *
 * Inputs are perturbed in place (outside any collector) and restored exactly; their accumulated
 * gradients are zeroed first and their trainable flag restored. Every evaluation runs
 * in its own scope with the inputs and the {@link #scoping} arrays temporarily attached, so the
 * check works on parameters in capped managers and leaves nothing behind.
 */
@SuppressWarnings("try") // scopes are opened for what they close
public final class GradientCheck {
    private static final double FLOOR_FRACTION = 1e-3;

    private final String what;
    private final Function<NDArray[], NDArray> loss;
    private NDArray[] scoped = new NDArray[0];
    private double step = 1e-5;
    private double tolerance = 1e-4;
    private double absoluteFloor = 1e-5;
    private int coordinates = 4;
    private long seed = 7;

    private GradientCheck(String what, Function<NDArray[], NDArray> loss) {
        this.what = what;
        this.loss = loss;
    }

    /**
     * @param what name for messages
     * @param loss maps the inputs (in the order given to {@code check}) to a scalar array; wrap
     *     tensor outputs in {@link #project} so every element matters
     */
    public static GradientCheck of(String what, Function<NDArray[], NDArray> loss) {
        return new GradientCheck(what, loss);
    }

    /**
     * Other arrays the function reads (e.g. a module's remaining parameters), attached to each
     * evaluation's scope so that views of them die with it; may overlap the inputs.
     */
    public GradientCheck scoping(NDArray... others) {
        this.scoped = others.clone();
        return this;
    }

    /**
     * Central-difference step; default 1e-5, near the float64 optimum {@code eps^(1/3)} where rounding
     * noise ({@code ~eps |f| / h}) and truncation error ({@code ~h^2 f'''}) balance: at 1e-6 the
     * noise alone reaches 1e-9, a 5e-5 relative error on the 2e-5 gradients of attention queries.
     */
    public GradientCheck step(double h) {
        this.step = h;
        return this;
    }

    /** Largest accepted relative error; default 1e-4. */
    public GradientCheck tolerance(double tol) {
        this.tolerance = tol;
        return this;
    }

    /** Smallest denominator of the relative error; default 1e-5 (float64), raise it for float32. */
    public GradientCheck absoluteFloor(double floor) {
        this.absoluteFloor = floor;
        return this;
    }

    /** Random coordinates per input, besides the one with the largest gradient; default 4. */
    public GradientCheck coordinates(int k) {
        this.coordinates = k;
        return this;
    }

    public GradientCheck seed(long s) {
        this.seed = s;
        return this;
    }

    /** Checks the gradient w.r.t. each input, named {@code input 0, input 1, ...}; returns the worst error. */
    public double check(NDArray... inputs) {
        Map<String, NDArray> named = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            named.put("input " + i, inputs[i]);
        }
        return check(named);
    }

    /** Checks the gradient w.r.t. each named input; the function receives them in map order. */
    public double check(Map<String, NDArray> named) {
        List<String> names = new ArrayList<>(named.keySet());
        NDArray[] inputs = named.values().toArray(NDArray[]::new);
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].getDataType().isFloating()) {
                throw new IllegalArgumentException(names.get(i) + " is " + inputs[i].getDataType()
                        + ": only floating inputs have gradients (capture integer arrays in the function)");
            }
        }
        NDArray[] others = scoped;
        boolean[] wasTrainable = new boolean[inputs.length];
        try (NDManager base = NDManager.newBaseManager()) {
            double[][] autograd = new double[inputs.length][];
            double[][] values = new double[inputs.length][];
            try (NDManager s = Scopes.step(base, others, inputs)) {
                for (int i = 0; i < inputs.length; i++) {
                    wasTrainable[i] = inputs[i].hasGradient();
                    values[i] = inputs[i].toType(DataType.FLOAT64, false).toDoubleArray();
                }
                Gradients.track(inputs);
                Gradients.zero(inputs);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(scalar(loss.apply(inputs)));
                }
                for (int i = 0; i < inputs.length; i++) {
                    autograd[i] = inputs[i].getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
                }
            }
            try {
                return compare(base, names, inputs, others, autograd, values);
            } finally {
                for (int i = 0; i < inputs.length; i++) {
                    if (!wasTrainable[i]) {
                        inputs[i].setRequiresGradient(false);
                    }
                }
            }
        }
    }

    private double compare(NDManager base, List<String> names, NDArray[] inputs, NDArray[] others,
            double[][] autograd, double[][] values) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> failures = new ArrayList<>();
        double worst = 0;
        String worstAt = "";
        int checked = 0;
        for (int i = 0; i < inputs.length; i++) {
            double[] a = autograd[i];
            double maxAbs = 0;
            int argMax = 0;
            for (int k = 0; k < a.length; k++) {
                if (Math.abs(a[k]) > maxAbs) {
                    maxAbs = Math.abs(a[k]);
                    argMax = k;
                }
            }
            double floor = Math.max(FLOOR_FRACTION * maxAbs, absoluteFloor);
            for (int flat : pick(a.length, argMax, random)) {
                double numeric = centralDifference(base, inputs, others, i, flat, values[i][flat]);
                double scale = Math.max(Math.max(Math.abs(a[flat]), Math.abs(numeric)), floor);
                double err = Math.abs(a[flat] - numeric) / scale;
                checked++;
                String line = String.format("%s%s: autograd %.9g, numeric %.9g, relative error %.2e",
                        names.get(i), index(inputs[i].getShape(), flat), a[flat], numeric, err);
                if (!(err <= worst)) {
                    worst = err;
                    worstAt = line;
                }
                if (!(err < tolerance)) { // also catches NaN
                    failures.add("  " + line);
                }
            }
        }
        System.out.printf("gradcheck %-42s %3d coordinates, worst %s%n", what, checked, worstAt);
        if (!failures.isEmpty()) {
            throw new AssertionError("gradient check of " + what + " failed (relative error >= " + tolerance
                    + ", step " + step + "):\n" + String.join("\n", failures));
        }
        return worst;
    }

    /** {@code (f(x + h e_c) - f(x - h e_c)) / (actual step)} with {@code x} restored exactly afterwards. */
    private double centralDifference(NDManager base, NDArray[] inputs, NDArray[] others, int i, int flat,
            double original) {
        NDArray x = inputs[i];
        NDIndex at = new NDIndex(unravel(x.getShape(), flat));
        double plus = representable(x.getDataType(), original + step);
        double minus = representable(x.getDataType(), original - step);
        try (NDManager s = Scopes.step(base, others, inputs)) {
            x.set(at, plus);
            double fPlus = scalar(loss.apply(inputs)).toType(DataType.FLOAT64, false).getDouble();
            x.set(at, minus);
            double fMinus = scalar(loss.apply(inputs)).toType(DataType.FLOAT64, false).getDouble();
            x.set(at, original);
            return (fPlus - fMinus) / (plus - minus);
        }
    }

    private NDArray scalar(NDArray out) {
        if (out.getShape().size() != 1) {
            throw new IllegalArgumentException(what + ": the function must return a scalar, got shape "
                    + out.getShape() + " (wrap it in GradientCheck.project)");
        }
        return out;
    }

    /** The value nearest to {@code v} that an array of {@code type} can hold. */
    private static double representable(DataType type, double v) {
        return type == DataType.FLOAT64 ? v : type == DataType.FLOAT32 ? (float) v : failType(type);
    }

    private static double failType(DataType type) {
        throw new IllegalArgumentException("central differences need float64 or float32 inputs, not " + type);
    }

    private List<Integer> pick(int size, int argMax, SplittableRandom random) {
        List<Integer> picked = new ArrayList<>();
        picked.add(argMax);
        if (size <= coordinates + 1) {
            for (int k = 0; k < size; k++) {
                if (k != argMax) {
                    picked.add(k);
                }
            }
            return picked;
        }
        while (picked.size() < coordinates + 1) {
            int k = random.nextInt(size);
            if (!picked.contains(k)) {
                picked.add(k);
            }
        }
        return picked;
    }

    private static long[] unravel(Shape shape, int flat) {
        long[] idx = new long[shape.dimension()];
        long rest = flat;
        for (int d = idx.length - 1; d >= 0; d--) {
            idx[d] = rest % shape.get(d);
            rest /= shape.get(d);
        }
        return idx;
    }

    private static String index(Shape shape, int flat) {
        StringBuilder b = new StringBuilder("[");
        long[] idx = unravel(shape, flat);
        for (int d = 0; d < idx.length; d++) {
            b.append(d == 0 ? "" : ", ").append(idx[d]);
        }
        return b.append("]").toString();
    }

    /**
     * A scalar that depends on every element of {@code out}: {@code sum(out * R)} with {@code R} a
     * fixed N(0, 1) tensor seeded by the shape. A plain sum would hide whole classes of errors (the
     * sum of a softmax or of a normalized row is constant).
     */
    public static NDArray project(NDArray out) {
        NDArray r = RandomWeights.normal(out.getManager(), out.getDataType(), out.getShape(),
                31L * out.getShape().hashCode() + 17, 1.0);
        return out.mul(r).sum();
    }

    /** The named parameters of {@code module} whose names are given, in that order, for {@link #check(Map)}. */
    public static Map<String, NDArray> parameters(Module module, String... names) {
        Map<String, Parameter> all = module.namedParameters();
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String n : names) {
            Parameter p = all.get(n);
            if (p == null) {
                throw new IllegalArgumentException("no parameter " + n + " in " + module.getClass().getSimpleName()
                        + "; have " + all.keySet());
            }
            out.put(n, p.value());
        }
        return out;
    }

    /** All named parameters of {@code module}, for {@link #check(Map)}. */
    public static Map<String, NDArray> parameters(Module module) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        module.namedParameters().forEach((n, p) -> out.put(n, p.value()));
        return out;
    }
}
