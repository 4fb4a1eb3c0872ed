package ddpo4j.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** An indexed list of modules, named {@code 0, 1, …} like {@code torch.nn.ModuleList}. */
public final class ModuleList<M extends Module> extends Module implements Iterable<M> {
    private final List<M> items = new ArrayList<>();

    public M add(M module) {
        child(Integer.toString(items.size()), module);
        items.add(module);
        return module;
    }

    public M get(int i) {
        return items.get(i);
    }

    public int size() {
        return items.size();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    @Override
    public Iterator<M> iterator() {
        return items.iterator();
    }
}
