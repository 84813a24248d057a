package keel.engine.core.internal.daemon;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns keeld's command line and daemon.json into Config Admin configurations for the engine ({@code keel.engine})
 * and the API server ({@code keel.api}), as dockerd turns its flags into its daemon config. Active only when the
 * daemon is started by the launcher (which registers a service carrying {@code launcher.arguments}); tests and
 * embedders configure the same PIDs directly.
 *
 * <p>The launcher marks its service {@code launcher.ready} once it has started every bundle; waiting for that mark
 * means the engine is configured (and chooses its storage driver) only when every built-in driver is registered.
 *
 * <p>A bad flag or configuration file ends the process with status 1 after printing why, like dockerd; nothing
 * is started with a half-understood configuration.
 */
@Component(immediate = true)
public class DaemonConfigurator {
    private static final System.Logger LOG = System.getLogger(DaemonConfigurator.class.getName());
    /** The bridge network driver's configuration (network.bridge's BridgeNetworkDriver). */
    static final String BRIDGE_DRIVER_PID = "keel.network.bridge";

    private final ConfigurationAdmin configAdmin;
    private final String[] arguments;
    private PidFile pidFile;
    private StopSignals stopSignals;

    @Activate
    public DaemonConfigurator(@Reference ConfigurationAdmin configAdmin,
            @Reference(target = "(&(launcher.arguments=*)(launcher.ready=true))", service = Object.class) Map<String, Object> launcher,
            BundleContext context) {
        this.configAdmin = configAdmin;
        Object args = launcher.get("launcher.arguments");
        this.arguments = args instanceof String[] a ? a : new String[0];
        try {
            configure(context);
        } catch (DaemonOptions.InvalidOptionsException e) {
            exit(1, "keeld: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            exit(1, "keeld: failed to start daemon: " + e.getMessage());
        }
    }

    private void configure(BundleContext context) throws DaemonOptions.InvalidOptionsException, IOException {
        DaemonOptions options = DaemonOptions.parse(arguments);
        if (options.help()) {
            exit(0, DaemonOptions.usage());
            return;
        }
        if (options.version()) {
            exit(0, "Keel version " + KeelVersion.of(context.getBundle()));
            return;
        }
        options = withConfigFile(options);

        String level = options.bool("debug") ? "debug" : options.value("log-level");
        DaemonLogging.configure(level);
        stopSignals = StopSignals.install(context);

        for (String host : options.values(DaemonFlag.byName("host").orElseThrow())) {
            DaemonHosts.validate(host);
        }
        Path dataRoot = absolute("data-root", options.value("data-root"));
        Path execRoot = absolute("exec-root", options.value("exec-root"));
        createPrivateDir(dataRoot, "rwx--x--x");
        createPrivateDir(execRoot, "rwx------");

        String pid = options.value("pidfile");
        if (!pid.isEmpty()) {
            pidFile = PidFile.create(Path.of(pid));
        }

        Map<String, Dictionary<String, Object>> byPid = new LinkedHashMap<>();
        for (DaemonFlag flag : DaemonFlag.ALL) {
            if (flag.pid() == null) {
                continue;
            }
            Dictionary<String, Object> props = byPid.computeIfAbsent(flag.pid(), p -> new Hashtable<>());
            List<String> values = options.values(flag);
            switch (flag.property()) {
                case "data.root" -> props.put(flag.property(), dataRoot.toString());
                case "exec.root" -> props.put(flag.property(), execRoot.toString());
                case "log.level" -> props.put(flag.property(), level);
                default -> props.put(flag.property(),
                        flag.kind() == DaemonFlag.Kind.LIST || flag.kind() == DaemonFlag.Kind.MAP
                                ? values.toArray(String[]::new) : options.value(flag));
            }
        }
        byPid.put(BRIDGE_DRIVER_PID, bridgeDriverConfig(byPid.get(EngineConfig.PID)));
        for (Map.Entry<String, Dictionary<String, Object>> e : byPid.entrySet()) {
            Configuration c = configAdmin.getConfiguration(e.getKey(), "?");
            c.updateIfDifferent(e.getValue());
        }
        LOG.log(Level.INFO, "Keel daemon configured: data-root={0} exec-root={1} args={2}", dataRoot, execRoot,
                Arrays.toString(arguments));
    }

    /**
     * dockerd's bridge options are the bridge driver's too (a bundle of its own, configured under its PID): the
     * proxy, iptables, forwarding and the MTU, with the types of its configuration.
     */
    private static Dictionary<String, Object> bridgeDriverConfig(Dictionary<String, Object> engine) {
        Dictionary<String, Object> d = new Hashtable<>();
        for (String key : List.of("userland.proxy", "iptables", "ip.forward")) {
            Object v = engine == null ? null : engine.get(key);
            if (v != null) {
                d.put(key, Boolean.valueOf(v.toString()));
            }
        }
        Object mtu = engine == null ? null : engine.get("mtu");
        if (mtu != null) {
            try {
                d.put("mtu", Integer.valueOf(mtu.toString().trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid mtu " + mtu + ": not a number");
            }
        }
        return d;
    }

    private DaemonOptions withConfigFile(DaemonOptions options) throws DaemonOptions.InvalidOptionsException {
        DaemonFlag flag = DaemonFlag.byName("config-file").orElseThrow();
        Path file = Path.of(options.value(flag));
        if (!Files.exists(file)) {
            if (options.onCommandLine(flag)) {
                throw new DaemonOptions.InvalidOptionsException(
                        "unable to configure the daemon with file " + file + ": open " + file
                                + ": no such file or directory");
            }
            return options;
        }
        try {
            ObjectMapper mapper = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            Map<String, Object> json = mapper.readValue(file.toFile(), new TypeReference<Map<String, Object>>() {});
            return options.withFile(json == null ? Map.of() : json);
        } catch (IOException e) {
            throw new DaemonOptions.InvalidOptionsException(
                    "unable to configure the daemon with file " + file + ": " + e.getMessage());
        } catch (DaemonOptions.InvalidOptionsException e) {
            throw new DaemonOptions.InvalidOptionsException(
                    "unable to configure the daemon with file " + file + ": " + e.getMessage());
        }
    }

    private static Path absolute(String flag, String value) throws DaemonOptions.InvalidOptionsException {
        Path p = Path.of(value);
        if (!p.isAbsolute()) {
            throw new DaemonOptions.InvalidOptionsException("--" + flag + " must be an absolute path: " + value);
        }
        return p.normalize();
    }

    private static void createPrivateDir(Path dir, String perms) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(perms));
    }

    @Deactivate
    void deactivate() {
        if (pidFile != null) {
            pidFile.remove();
        }
        if (stopSignals != null) {
            stopSignals.release();
        }
    }

    /**
     * Ends the process from another thread: exiting on the activating thread would wait for the framework
     * shutdown, which waits for this activation to return.
     */
    private static void exit(int status, String message) {
        (status == 0 ? System.out : System.err).println(message);
        Thread t = new Thread(() -> System.exit(status), "keeld-exit");
        t.setDaemon(false);
        t.start();
    }
}
