package ddpo4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A named weight's declared shape and, once loaded or initialized, its value. Declaring shapes
 * without values lets a whole Stable Diffusion tree be built and checked without allocating it.
 */
public final class Parameter {
    private final Shape shape;
    private NDArray value;

    Parameter(Shape shape) {
        this.shape = shape;
    }

    /** A parameter outside any module (e.g. a policy's own weight), holding {@code value}. */
    public static Parameter of(NDArray value) {
        Parameter p = new Parameter(value.getShape());
        p.value = value;
        return p;
    }

    public Shape shape() {
        return shape;
    }

    public boolean isSet() {
        return value != null;
    }

    /** The value; fails if the parameter was declared but never loaded. */
    public NDArray value() {
        if (value == null) {
            throw new IllegalStateException("parameter of shape " + shape + " has no value: load weights first");
        }
        return value;
    }

    /** Sets the value, which must have the declared shape. */
    public void set(NDArray newValue) {
        if (!newValue.getShape().equals(shape)) {
            throw new IllegalArgumentException("shape " + newValue.getShape() + " does not match declared " + shape);
        }
        value = newValue;
    }
}
