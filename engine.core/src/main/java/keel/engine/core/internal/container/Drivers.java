package keel.engine.core.internal.container;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Services of one kind by name (runtimes by {@code runtime.name}, log and network drivers by {@code driver.name}),
 * as DS binds and unbinds them while bundles come and go. The newest registration of a name wins; when it leaves,
 * an older one of the same name takes its place.
 */
final class Drivers<T> {

    private final String property;
    private final Map<T, List<String>> services = new LinkedHashMap<>();
    private final List<BiConsumer<String, T>> arrivals = new CopyOnWriteArrayList<>();

    Drivers(String property) {
        this.property = property;
    }

    synchronized void add(T service, Map<String, ?> props) {
        services.put(service, names(props.get(property)));
        List<String> names = services.get(service);
        for (String n : names) {
            for (BiConsumer<String, T> l : arrivals) {
                l.accept(n, service);
            }
        }
    }

    synchronized void remove(T service) {
        services.remove(service);
    }

    /** The service answering to {@code name}, or null. */
    synchronized T get(String name) {
        T found = null;
        for (Map.Entry<T, List<String>> e : services.entrySet()) {
            if (e.getValue().contains(name)) {
                found = e.getKey();
            }
        }
        return found;
    }

    synchronized List<String> names() {
        List<String> out = new ArrayList<>();
        for (List<String> n : services.values()) {
            if (!n.isEmpty() && !out.contains(n.get(0))) {
                out.add(n.get(0));
            }
        }
        return out;
    }

    /** Calls {@code listener} (outside no lock of the caller's) whenever a service of a name arrives. */
    void onArrival(BiConsumer<String, T> listener) {
        arrivals.add(listener);
    }

    static List<String> names(Object v) {
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof String[] a) {
            return Arrays.asList(a);
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}
