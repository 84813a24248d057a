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
import org.osgi.framework.startlevel.BundleStartLevel;
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
 * kernel supports it, else vfs. Driver bundles register their services a moment after the engine is configured
 * (DS activates them as their own references are satisfied), so without an explicit name the choice is made
 * when the preferred driver has registered, or after a short settling time with whatever has. Once chosen, the
 * name is fixed for the daemon's life: a driver of that name may leave (its bundle removed) and return
 * (reinstalled, updated), and its store is reopened on the same directory, but another driver never takes its
 * place.
 */
@Component(service = {ActiveStorage.class, StorageManager.class}, configurationPid = EngineConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
public class StorageManager implements ActiveStorage {
    private static final System.Logger LOG = System.getLogger(StorageManager.class.getName());
    /** Preference among built-in drivers when nothing else decides, as dockerd's priority list. */
    static final List<String> PRIORITY = List.of("overlay2", "vfs");
    /** How long an automatic choice waits for the preferred driver to register before taking what there is. */
    private static final long SETTLE_MILLIS = 10_000;

    private Path dataRoot;
    private String configured;
    private Map<String, String> options;
    private final Map<StorageDriver, Map<String, Object>> drivers = new LinkedHashMap<>();
    private BundleContext context;
    private long settleDeadline;
    private int settledPolls;
    private boolean closed;

    private String chosen;
    private StorageDriver activeDriver;
    private LayerStore store;
    private String lastProblem;

    @Activate
    void activate(EngineConfig config, BundleContext context) {
        this.context = context;
        this.dataRoot = Path.of(config.data_root());
        this.configured = config.storage_driver().trim();
        this.options = parseOptions(config.storage_opts());
        synchronized (this) {
            this.settleDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
            if (!configured.isEmpty()) {
                chosen = configured;
            } else {
                List<String> prior = priorDrivers();
                if (!prior.isEmpty()) {
                    chosen = prior.get(0);
                    if (prior.size() > 1) {
                        LOG.log(Level.WARNING, "several storage drivers hold images under {0}: {1}; using {2} "
                                + "(choose with --storage-driver)", dataRoot, prior, chosen);
                    }
                } else {
                    chooseWhenSettled();
                    Thread settle = new Thread(this::settleLater, "keel-storage-choice");
                    settle.setDaemon(true);
                    settle.start();
                }
            }
            openIfPossible();
        }
    }

    /**
     * Makes the automatic choice once the framework has settled (its start level reached the beginning level, so
     * every bundle the launcher started is active and its DS components registered), or at the deadline.
     */
    private void settleLater() {
        synchronized (this) {
            while (chosen == null && !closed) {
                // Settled twice in a row: the last bundle's DS components register just after it turns active.
                settledPolls = frameworkSettled() ? settledPolls + 1 : 0;
                if (settledPolls >= 2 || System.nanoTime() - settleDeadline >= 0) {
                    chooseAutomatically();
                    openIfPossible();
                    notifyAll();
                    return;
                }
                try {
                    wait(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * Whether every bundle the launcher asked to start is active. The launcher marks itself ready when it has
     * asked, but with start levels the framework starts them afterwards on its own thread, one by one, and DS
     * registers a bundle's components as it starts; a bundle that is persistently started but not yet active is
     * still on its way.
     */
    private boolean frameworkSettled() {
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        if (system == null || system.getState() != Bundle.ACTIVE) {
            return false;
        }
        for (Bundle b : context.getBundles()) {
            if (b.getState() == Bundle.STARTING) {
                return false;
            }
            BundleStartLevel level = b.adapt(BundleStartLevel.class);
            if (b.getState() != Bundle.ACTIVE && level != null && level.isPersistentlyStarted()
                    && b.getHeaders().get(Constants.FRAGMENT_HOST) == null && b.getState() != Bundle.UNINSTALLED) {
                return false;
            }
        }
        return true;
    }

    /** Chooses now if the most preferred driver is registered; otherwise leaves it to the deadline. */
    private void chooseWhenSettled() {
        if (chosen == null && driverNamed(PRIORITY.get(0)).isPresent()) {
            chooseAutomatically();
            notifyAll();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void addDriver(StorageDriver driver, Map<String, Object> props) {
        drivers.put(driver, props);
        LOG.log(Level.DEBUG, "storage driver registered: {0}", names(props));
        if (dataRoot == null) {
            return; // bound before activation: activate() decides
        }
        chooseWhenSettled();
        if (chosen != null && store == null) {
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
        closed = true;
        notifyAll();
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
        LOG.log(Level.DEBUG, "choosing a storage driver among {0}", registeredDrivers());
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
     * Waits for the automatic choice (a request can come before the drivers have registered). Bounded by the
     * settling deadline, after which the choice is made with what is registered.
     */
    private void awaitChoice() {
        while (chosen == null && !closed) {
            long left = TimeUnit.NANOSECONDS.toMillis(settleDeadline - System.nanoTime());
            if (left <= 0) {
                chooseAutomatically();
                openIfPossible();
                notifyAll();
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
