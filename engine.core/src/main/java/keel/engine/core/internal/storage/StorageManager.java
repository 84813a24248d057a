package keel.engine.core.internal.storage;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import keel.engine.api.errors.EngineException;
import keel.engine.api.storage.LayerStore;
import keel.engine.api.storage.StorageDriver;
import keel.engine.core.internal.daemon.EngineConfig;

/**
 * Chooses the storage driver and keeps its store open while driver bundles come and go.
 *
 * <p>The choice follows dockerd: the driver named by {@code storage.driver}; otherwise the driver that already
 * holds images under the data root (switching silently would hide every image); otherwise overlay2 where the
 * kernel supports it, else vfs. Without an explicit name the choice waits until the framework has started, so a
 * driver bundle that starts a moment after the engine is still considered. Once chosen, the name is fixed for the
 * daemon's life: a driver of that name may leave (its bundle removed) and return (reinstalled, updated), and its
 * store is reopened on the same directory, but another driver never takes its place.
 */
@Component(service = {ActiveStorage.class, StorageManager.class}, configurationPid = EngineConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
public class StorageManager implements ActiveStorage {
    private static final System.Logger LOG = System.getLogger(StorageManager.class.getName());
    /** Preference among built-in drivers when nothing else decides, as dockerd's priority list. */
    static final List<String> PRIORITY = List.of("overlay2", "vfs");
    private static final long CHOICE_WAIT_MILLIS = 10_000;

    private final Path dataRoot;
    private final String configured;
    private final Map<String, String> options;
    private final Map<StorageDriver, Map<String, Object>> drivers = new LinkedHashMap<>();
    private final BundleContext context;
    private FrameworkListener startListener;

    private String chosen;
    private StorageDriver activeDriver;
    private LayerStore store;
    private String lastProblem;

    @Activate
    public StorageManager(EngineConfig config, BundleContext context) {
        this.context = context;
        this.dataRoot = Path.of(config.data_root());
        this.configured = config.storage_driver().trim();
        this.options = parseOptions(config.storage_opts());
        synchronized (this) {
            if (!configured.isEmpty()) {
                chosen = configured;
            } else if (frameworkStarted(context)) {
                chooseAutomatically();
            } else {
                startListener = event -> {
                    if (event.getType() == FrameworkEvent.STARTED) {
                        synchronized (StorageManager.this) {
                            if (chosen == null) {
                                chooseAutomatically();
                                openIfPossible();
                                StorageManager.this.notifyAll();
                            }
                        }
                    }
                };
                context.addFrameworkListener(startListener);
            }
            openIfPossible();
        }
    }

    private static boolean frameworkStarted(BundleContext context) {
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        return system != null && system.getState() == Bundle.ACTIVE;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void addDriver(StorageDriver driver, Map<String, Object> props) {
        drivers.put(driver, props);
        if (chosen != null && activeDriver == null) {
            openIfPossible();
        }
    }

    synchronized void removeDriver(StorageDriver driver) {
        drivers.remove(driver);
        if (driver == activeDriver) {
            LOG.log(Level.WARNING, "storage driver {0} was removed; its data stays in {1} until a driver of that "
                    + "name returns", chosen, home());
            closeStore();
            lastProblem = "its bundle was removed; data is kept in " + home();
            openIfPossible();
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (startListener != null) {
            context.removeFrameworkListener(startListener);
        }
        closeStore();
    }

    /** Names a driver answers to: the {@code driver.name} property (a string or several). */
    static List<String> names(Map<String, Object> props) {
        Object v = props.get(StorageDriver.NAME_PROPERTY);
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof String[] a) {
            return Arrays.asList(a);
        }
        if (v instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    private Optional<StorageDriver> driverNamed(String name) {
        StorageDriver best = null;
        int bestRank = Integer.MIN_VALUE;
        for (Map.Entry<StorageDriver, Map<String, Object>> e : drivers.entrySet()) {
            if (names(e.getValue()).contains(name)) {
                Object r = e.getValue().get(Constants.SERVICE_RANKING);
                int rank = r instanceof Integer i ? i : 0;
                if (best == null || rank > bestRank) {
                    best = e.getKey();
                    bestRank = rank;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Picks a driver when none is configured; see the class comment for the order. */
    private void chooseAutomatically() {
        List<String> prior = priorDrivers();
        if (!prior.isEmpty()) {
            chosen = prior.get(0);
            if (prior.size() > 1) {
                LOG.log(Level.WARNING, "several storage drivers hold images under {0}: {1}; using {2} (choose with "
                        + "--storage-driver)", dataRoot, prior, chosen);
            }
            return;
        }
        List<String> candidates = new ArrayList<>(PRIORITY);
        for (Map<String, Object> props : drivers.values()) {
            for (String n : names(props)) {
                if (!candidates.contains(n)) {
                    candidates.add(n);
                }
            }
        }
        for (String name : candidates) {
            Optional<StorageDriver> d = driverNamed(name);
            if (d.isEmpty()) {
                continue;
            }
            Optional<String> why = d.get().unsupportedReason(dataRoot.resolve(d.get().name()));
            if (why.isEmpty()) {
                chosen = d.get().name();
                return;
            }
            LOG.log(Level.INFO, "storage driver {0} skipped: {1}", name, why.get());
        }
        chosen = "vfs";
        lastProblem = "no storage driver is registered";
    }

    /** Drivers that already keep images under the data root, in priority order. */
    private List<String> priorDrivers() {
        Path imageRoot = dataRoot.resolve("image");
        if (!Files.isDirectory(imageRoot)) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(imageRoot)) {
            s.filter(p -> hasLayers(p.resolve("layerdb").resolve("sha256")))
                    .map(p -> p.getFileName().toString()).sorted().forEach(found::add);
        } catch (IOException e) {
            return List.of();
        }
        found.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        return found;
    }

    private static int rank(String name) {
        int i = PRIORITY.indexOf(name);
        return i < 0 ? PRIORITY.size() : i;
    }

    private static boolean hasLayers(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private void openIfPossible() {
        if (chosen == null || store != null) {
            return;
        }
        Optional<StorageDriver> d = driverNamed(chosen);
        if (d.isEmpty()) {
            if (lastProblem == null) {
                lastProblem = "no driver of that name is registered";
            }
            return;
        }
        Path home = home();
        Optional<String> why = d.get().unsupportedReason(home);
        if (why.isPresent()) {
            lastProblem = why.get();
            LOG.log(Level.ERROR, "storage driver {0} cannot be used: {1}", chosen, lastProblem);
            return;
        }
        try {
            store = d.get().open(home, options);
            activeDriver = d.get();
            lastProblem = null;
            notifyAll();
            LOG.log(Level.INFO, "storage driver {0} ready in {1}", chosen, home);
        } catch (IOException | RuntimeException e) {
            lastProblem = "opening its store in " + home + " failed: " + e.getMessage();
            LOG.log(Level.ERROR, "storage driver " + chosen + ": " + lastProblem, e);
        }
    }

    private void closeStore() {
        if (store != null) {
            try {
                store.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "closing storage driver " + chosen + " failed", e);
            }
        }
        store = null;
        activeDriver = null;
    }

    private Path home() {
        return dataRoot.resolve(chosen);
    }

    @Override
    public synchronized String driverName() {
        awaitChoice();
        return chosen;
    }

    @Override
    public synchronized LayerStore store() {
        awaitChoice();
        if (store == null) {
            throw EngineException.unavailable("storage driver " + chosen + " is not available: " + lastProblem);
        }
        return store;
    }

    @Override
    public synchronized boolean available() {
        return store != null;
    }

    @Override
    public synchronized Path metadataRoot() {
        awaitChoice();
        return dataRoot.resolve("image").resolve(chosen);
    }

    /** Why the driver is unavailable, or empty when it is available. */
    public synchronized Optional<String> problem() {
        return store == null ? Optional.ofNullable(lastProblem) : Optional.empty();
    }

    /** Driver names registered now, for {@code docker info}'s plugin list. */
    public synchronized List<String> registeredDrivers() {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> props : drivers.values()) {
            List<String> n = names(props);
            if (!n.isEmpty() && !out.contains(n.get(0))) {
                out.add(n.get(0));
            }
        }
        return out;
    }

    /** The data root this manager was configured with. */
    public Path dataRoot() {
        return dataRoot;
    }

    /**
     * Waits for the automatic choice, which is made when the framework has started (a request can come in
     * between). Bounded: after the wait, callers see the driver as missing rather than blocking forever.
     */
    private void awaitChoice() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHOICE_WAIT_MILLIS);
        while (chosen == null) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                chooseAutomatically();
                openIfPossible();
                return;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw EngineException.unavailable("interrupted while the storage driver is being chosen");
            }
        }
    }

    static Map<String, String> parseOptions(String[] opts) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String o : opts) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw EngineException.invalid("invalid storage option \"" + o + "\": expected key=value");
            }
            String key = o.substring(0, eq).trim();
            // dockerd accepts "overlay2.size=..." as well as "size=..."; drivers see the key without the prefix.
            int dot = key.indexOf('.');
            out.put(dot > 0 ? key.substring(dot + 1) : key, o.substring(eq + 1).trim());
        }
        return out;
    }
}
