package ddpo4j.nn;

/**
 * A parameter-free module holding children under arbitrary names, for PyTorch containers with
 * gaps such as {@code Sequential(Linear, Dropout, Linear)} whose state-dict keys are {@code 0.*}
 * and {@code 2.*}.
 */
public final class Container extends Module {
    public <M extends Module> M add(String name, M module) {
        return child(name, module);
    }
}
