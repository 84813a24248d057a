package keel.engine.core.internal.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import keel.engine.api.errors.EngineException;
import keel.engine.api.image.ImageService;
import keel.engine.api.logging.LogDriver;
import keel.engine.api.network.NetworkDriver;
import keel.engine.api.runtime.ContainerRuntime;
import keel.engine.core.internal.container.ContainerCounts;
import keel.engine.api.system.SystemInfo;
import keel.engine.api.system.SystemService;
import keel.engine.api.system.VersionInfo;
import keel.engine.core.internal.daemon.EngineConfig;
import keel.engine.core.internal.daemon.KeelVersion;
import keel.engine.core.internal.storage.StorageManager;

/** {@code /version} and {@code /info}: the engine's own facts plus the host's. */
@Component(configurationPid = EngineConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public class SystemServiceImpl implements SystemService {

    private final Bundle bundle;
    private final EngineConfig config;
    private final StorageManager storage;
    private final String engineId;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ImageService images;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ContainerCounts containers;

    /** Drivers registered now, by kind, for {@code docker info}'s Plugins (runtimes become its Runtimes). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            service = LogDriver.class)
    private final List<Map<String, Object>> logDrivers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            service = NetworkDriver.class)
    private final List<Map<String, Object>> networkDrivers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private final List<ContainerRuntime> runtimes = new CopyOnWriteArrayList<>();

    @Activate
    public SystemServiceImpl(BundleContext context, EngineConfig config, @Reference StorageManager storage)
            throws IOException {
        this.bundle = context.getBundle();
        this.config = config;
        this.storage = storage;
        this.engineId = engineId(Path.of(config.data_root()));
    }

    /** A stable ID for this daemon's data root (dockerd keeps one in engine-id). */
    private static String engineId(Path dataRoot) throws IOException {
        Path file = dataRoot.resolve("engine-id");
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = UUID.randomUUID().toString();
        Files.createDirectories(dataRoot);
        Path tmp = dataRoot.resolve("engine-id.tmp");
        Files.writeString(tmp, id, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return id;
    }

    /** The first name ({@code driver.name}) of each registered driver, plus names that are always there. */
    private static List<String> names(List<Map<String, Object>> drivers, List<String> builtIn) {
        List<String> out = new ArrayList<>(builtIn);
        for (Map<String, Object> props : drivers) {
            Object n = props.get("driver.name");
            String name = n instanceof String[] a ? (a.length > 0 ? a[0] : null) : n == null ? null : n.toString();
            if (name != null && !out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    @Override
    public VersionInfo version() {
        return new VersionInfo(KeelVersion.of(bundle), KeelVersion.commit(bundle), buildTime(), "linux",
                HostFacts.goArch(), HostFacts.kernelVersion(), Runtime.version().toString());
    }

    private String buildTime() {
        String t = bundle.getHeaders().get("Keel-Build-Time");
        return t == null ? "" : t;
    }

    @Override
    public SystemInfo info() {
        List<String> warnings = new ArrayList<>();
        int imageCount = 0;
        ImageService is = images;
        if (is != null) {
            try {
                imageCount = is.list(true, Map.of()).size();
            } catch (EngineException e) {
                warnings.add("images: " + e.getMessage());
            }
        }
        List<String[]> driverStatus = new ArrayList<>();
        String driver = storage.driverName();
        if (storage.available()) {
            driverStatus.addAll(storage.store().status());
        } else {
            String why = storage.problem().orElse("not available");
            warnings.add("WARNING: storage driver " + driver + " is not available: " + why);
        }
        Map<String, List<String>> plugins = new LinkedHashMap<>();
        plugins.put("Storage", storage.registeredDrivers());
        plugins.put("Volume", List.of("local"));
        plugins.put("Network", names(networkDrivers, List.of("host")));
        plugins.put("Log", names(logDrivers, List.of()));
        List<String> runtimeNames = new ArrayList<>();
        for (ContainerRuntime r : runtimes) {
            runtimeNames.add(r.name()); // their warnings come with the container counts
        }
        plugins.put("Runtime", runtimeNames);
        ContainerCounts.Counts counts = new ContainerCounts.Counts(0, 0, 0, 0);
        ContainerCounts cc = containers;
        if (cc != null) {
            counts = cc.counts();
            warnings.addAll(cc.warnings());
        }
        String[] os = HostFacts.operatingSystem();
        return new SystemInfo(engineId, HostFacts.hostname(), counts.total(), counts.running(), counts.paused(),
                counts.stopped(), imageCount, driver, driverStatus,
                config.data_root(), plugins, config.log_driver(), "cgroupfs", HostFacts.cgroupVersion(),
                HostFacts.kernelVersion(), os[0], os[1], "linux", HostFacts.machine(),
                Runtime.getRuntime().availableProcessors(), HostFacts.memTotal(), KeelVersion.of(bundle),
                "debug".equals(config.log_level()), List.of(config.labels()), true, config.init_path(),
                List.of("name=cgroupns"), warnings);
    }
}
