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
        plugins.put("Network", List.of());
        plugins.put("Log", List.of());
        String[] os = HostFacts.operatingSystem();
        return new SystemInfo(engineId, HostFacts.hostname(), 0, 0, 0, 0, imageCount, driver, driverStatus,
                config.data_root(), plugins, "json-file", "cgroupfs", HostFacts.cgroupVersion(),
                HostFacts.kernelVersion(), os[0], os[1], "linux", HostFacts.machine(),
                Runtime.getRuntime().availableProcessors(), HostFacts.memTotal(), KeelVersion.of(bundle),
                "debug".equals(config.log_level()), List.of(config.labels()), false, "", List.of(), warnings);
    }
}
