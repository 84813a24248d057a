package keel.engine.core.internal.network;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import keel.engine.api.network.NetworkDriver;

/**
 * The network drivers registered (by {@code driver.name}) as bundles come and go: the newest registration of a
 * name wins; when it leaves, an older one of the same name takes its place. Listeners hear of every arrival.
 */
public final class NetworkDrivers {

    private final Map<NetworkDriver, List<String>> drivers = new LinkedHashMap<>();
    private final List<Consumer<String>> arrivals = new CopyOnWriteArrayList<>();

    public void add(NetworkDriver driver, Map<String, ?> props) {
        List<String> names = names(props.get(NetworkDriver.NAME_PROPERTY));
        synchronized (this) {
            drivers.put(driver, names);
        }
        for (String n : names) {
            arrivals.forEach(l -> l.accept(n));
        }
    }

    public synchronized void remove(NetworkDriver driver) {
        drivers.remove(driver);
    }

    /** The driver answering to {@code name}, or null. */
    public synchronized NetworkDriver get(String name) {
        NetworkDriver found = null;
        for (Map.Entry<NetworkDriver, List<String>> e : drivers.entrySet()) {
            if (e.getValue().contains(name)) {
                found = e.getKey();
            }
        }
        return found;
    }

    public synchronized List<String> names() {
        List<String> out = new ArrayList<>();
        drivers.values().forEach(n -> n.stream().filter(x -> !out.contains(x)).forEach(out::add));
        return out;
    }

    void onArrival(Consumer<String> listener) {
        arrivals.add(listener);
    }

    void removeArrival(Consumer<String> listener) {
        arrivals.remove(listener);
    }

    private static List<String> names(Object v) {
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof String[] a) {
            return List.of(a);
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}
