package keel.engine.core.internal.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import keel.engine.api.errors.EngineException;
import keel.engine.api.plugin.PluginInfo;
import keel.engine.api.plugin.PluginService;
import keel.engine.api.plugin.RemovalReport;
import keel.engine.api.storage.StorageDriver;
import keel.engine.core.internal.daemon.EngineConfig;
import keel.engine.core.internal.storage.StorageManager;

/**
 * Plugins: bundles that provide drivers. Installed plugins are jars in {@code <data-root>/plugins}, kept in step
 * with the framework by {@link PluginFolder}; the bundles the daemon ships with that provide drivers (overlay2,
 * vfs, ...) are listed too, and can be removed (until the next start) or disabled like any plugin.
 */
@Component(configurationPid = EngineConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public class PluginManager implements PluginService {
    private static final System.Logger LOG = System.getLogger(PluginManager.class.getName());
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** Driver kinds by service interface; a driver service carries {@code driver.name}. */
    private static final Map<String, String> DRIVER_KINDS = Map.of(
            StorageDriver.class.getName(), "storage");
    /** How long to wait for a started plugin's DS components to register their drivers. */
    private static final long REGISTRATION_WAIT_MILLIS = 2_000;

    private final BundleContext context;
    private final StorageManager storage;
    private final PluginFolder folder;

    @Activate
    public PluginManager(BundleContext context, EngineConfig config, @Reference StorageManager storage)
            throws IOException {
        this.context = context;
        this.storage = storage;
        this.folder = new PluginFolder(Path.of(config.data_root(), "plugins"), context);
        folder.open();
    }

    @Deactivate
    void deactivate() {
        folder.close();
    }

    @Override
    public List<PluginInfo> list() {
        List<PluginInfo> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean inFolder = b.getLocation().startsWith(folder.folder().toUri().toString());
            List<String> drivers = drivers(b);
            if (inFolder || !drivers.isEmpty()) {
                out.add(info(b, drivers));
            }
        }
        // Jars that failed to install are plugins too: show them, disabled, so the operator sees the problem.
        try (Stream<Path> s = Files.list(folder.folder())) {
            s.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .filter(p -> context.getBundle(PluginFolder.location(p)) == null)
                    .forEach(p -> out.add(new PluginInfo(nameOf(p), "", "", "FAILED: " + folder.failure(p), false,
                            List.of(), PluginFolder.location(p))));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list plugins folder", e);
        }
        return out;
    }

    @Override
    public PluginInfo inspect(String name) {
        return info(bundle(name), drivers(bundle(name)));
    }

    @Override
    public PluginInfo install(String name, InputStream content) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw EngineException.invalid("invalid plugin name \"" + name + "\": use lowercase letters, digits, "
                    + "'.', '_' and '-', starting with a letter or digit");
        }
        Path jar = folder.folder().resolve(name + ".jar");
        if (Files.exists(jar) || findBundle(name) != null) {
            throw EngineException.conflict("plugin \"" + name + "\" already exists");
        }
        Path tmp = folder.folder().resolve("." + name + ".upload");
        try {
            String bsn = PluginUpload.receive(content, tmp);
            for (Bundle b : context.getBundles()) {
                if (bsn.equals(b.getSymbolicName()) && b.getLocation().startsWith(folder.folder().toUri().toString())) {
                    throw EngineException.conflict("bundle " + bsn + " is already installed as plugin \""
                            + nameOf(Path.of(java.net.URI.create(b.getLocation()))) + "\"");
                }
            }
            Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw EngineException.system("receiving plugin " + name + " failed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // best effort
            }
        }
        String failure = folder.sync().get(jar);
        Bundle bundle = context.getBundle(PluginFolder.location(jar));
        if (failure != null || bundle == null || bundle.getState() != Bundle.ACTIVE) {
            String why = failure != null ? failure : "it did not start";
            removeJar(jar);
            throw EngineException.invalid("plugin \"" + name + "\" could not be installed: " + why);
        }
        awaitRegistrations(bundle);
        PluginInfo info = info(bundle, drivers(bundle));
        LOG.log(Level.INFO, "plugin {0} installed: {1} {2}, drivers {3}", name, info.symbolicName(), info.version(),
                info.drivers());
        return info;
    }

    @Override
    public RemovalReport remove(String name, boolean force) {
        Bundle b = bundle(name);
        if (b.getBundleId() == 0 || b.equals(context.getBundle())) {
            throw EngineException.invalid("\"" + name + "\" is part of the engine, not a plugin");
        }
        List<String> drivers = drivers(b);
        List<String> kept = dataKept(drivers);
        String location = b.getLocation();
        if (location.startsWith(folder.folder().toUri().toString())) {
            removeJar(Path.of(java.net.URI.create(location)));
        } else {
            try {
                b.uninstall();
            } catch (BundleException e) {
                throw EngineException.system("uninstalling " + name + " failed: " + e.getMessage(), e);
            }
        }
        LOG.log(Level.INFO, "plugin {0} removed; drivers {1} gone; {2}", name, drivers, kept);
        return new RemovalReport(name, drivers, kept);
    }

    @Override
    public PluginInfo enable(String name) {
        Bundle b = bundle(name);
        try {
            b.start();
        } catch (BundleException e) {
            throw EngineException.invalid("plugin \"" + name + "\" could not be started: " + e.getMessage());
        }
        awaitRegistrations(b);
        return info(b, drivers(b));
    }

    @Override
    public PluginInfo disable(String name) {
        Bundle b = bundle(name);
        if (b.getBundleId() == 0 || b.equals(context.getBundle())) {
            throw EngineException.invalid("\"" + name + "\" is part of the engine, not a plugin");
        }
        try {
            b.stop();
        } catch (BundleException e) {
            throw EngineException.system("stopping " + name + " failed: " + e.getMessage(), e);
        }
        return info(b, drivers(b));
    }

    private void removeJar(Path jar) {
        try {
            Files.deleteIfExists(jar);
        } catch (IOException e) {
            throw EngineException.system("removing " + jar + " failed: " + e.getMessage(), e);
        }
        folder.sync();
    }

    /** What a removed driver leaves on disk, in sentences for the operator. */
    private List<String> dataKept(List<String> drivers) {
        List<String> kept = new ArrayList<>();
        for (String d : drivers) {
            if (!d.startsWith("storage:")) {
                continue;
            }
            String driver = d.substring("storage:".length());
            Path layerDb = storage.dataRoot().resolve("image").resolve(driver).resolve("layerdb").resolve("sha256");
            long layers = 0;
            if (Files.isDirectory(layerDb)) {
                try (Stream<Path> s = Files.list(layerDb)) {
                    layers = s.count();
                } catch (IOException e) {
                    layers = -1;
                }
            }
            if (layers != 0 || Files.isDirectory(storage.dataRoot().resolve(driver))) {
                kept.add("storage driver " + driver + ": " + (layers < 0 ? "its" : layers) + " layers kept in "
                        + storage.dataRoot().resolve(driver) + " (metadata in "
                        + storage.dataRoot().resolve("image").resolve(driver) + "); install a driver named "
                        + driver + " to use them again");
            }
        }
        return kept;
    }

    private void awaitRegistrations(Bundle bundle) {
        long deadline = System.currentTimeMillis() + REGISTRATION_WAIT_MILLIS;
        while (drivers(bundle).isEmpty() && System.currentTimeMillis() < deadline
                && bundle.getState() == Bundle.ACTIVE) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Bundle bundle(String name) {
        Bundle b = findBundle(name);
        if (b == null) {
            throw EngineException.notFound("plugin \"" + name + "\" not found");
        }
        return b;
    }

    private Bundle findBundle(String name) {
        Bundle byLocation = context.getBundle(PluginFolder.location(folder.folder().resolve(name + ".jar")));
        if (byLocation != null) {
            return byLocation;
        }
        for (Bundle b : context.getBundles()) {
            if (name.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private PluginInfo info(Bundle b, List<String> drivers) {
        boolean inFolder = b.getLocation().startsWith(folder.folder().toUri().toString());
        String name = inFolder ? nameOf(Path.of(java.net.URI.create(b.getLocation()))) : b.getSymbolicName();
        return new PluginInfo(name, b.getSymbolicName(), b.getVersion().toString(), state(b),
                b.getState() == Bundle.ACTIVE, drivers, b.getLocation());
    }

    private static String nameOf(Path jar) {
        String f = jar.getFileName().toString();
        return f.endsWith(".jar") ? f.substring(0, f.length() - 4) : f;
    }

    private static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }

    /** The drivers a bundle registers now, as {@code kind:name}. */
    static List<String> drivers(Bundle b) {
        List<String> out = new ArrayList<>();
        ServiceReference<?>[] refs = b.getState() == Bundle.UNINSTALLED ? null : b.getRegisteredServices();
        if (refs == null) {
            return out;
        }
        for (ServiceReference<?> ref : refs) {
            Object name = ref.getProperty(StorageDriver.NAME_PROPERTY);
            if (name == null) {
                continue;
            }
            String first = name instanceof String[] a ? (a.length > 0 ? a[0] : null) : String.valueOf(name);
            for (String oc : (String[]) ref.getProperty(Constants.OBJECTCLASS)) {
                String kind = DRIVER_KINDS.get(oc);
                if (kind != null && first != null) {
                    out.add(kind + ":" + first);
                }
            }
        }
        return out;
    }

    /** For tests and info: driver kinds by interface. */
    static Map<String, String> driverKinds() {
        return new LinkedHashMap<>(DRIVER_KINDS);
    }
}
