package keel.engine.core.internal.container;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import keel.engine.api.errors.EngineException;
import keel.engine.core.internal.daemon.EngineConfig;

/**
 * The daemon-wide settings containers depend on, and where their files live:
 * <ul>
 * <li>{@code <data-root>/containers/<id>/}: config.v2.json, hostconfig.json, hostname, hosts, resolv.conf, the
 * json-file log, and the output spools (persistent);</li>
 * <li>{@code <exec-root>/containers/<id>/}: the OCI bundle (config.json) of the current run;</li>
 * <li>{@code <exec-root>/runtime/<runtime>/<id>/}: the runtime's own state for the container;</li>
 * <li>{@code <exec-root>/netns/<id>}: the container's network namespace, bind-mounted.</li>
 * </ul>
 * exec-root is on tmpfs (/run): what is there does not outlive a reboot, and neither do the runs it describes.
 */
record ContainerSettings(Path dataRoot, Path execRoot, String defaultLogDriver, Map<String, String> defaultLogOptions,
        String defaultRuntime, Path initPath, String cgroupParent, long prepareAheadMillis) {

    /** How long a start made ahead waits for its start (see PreparedStart); the daemon's unless turned off. */
    static final long PREPARE_AHEAD_MILLIS = 10_000;

    /** Without starts made ahead. */
    ContainerSettings(Path dataRoot, Path execRoot, String defaultLogDriver, Map<String, String> defaultLogOptions,
            String defaultRuntime, Path initPath, String cgroupParent) {
        this(dataRoot, execRoot, defaultLogDriver, defaultLogOptions, defaultRuntime, initPath, cgroupParent, 0);
    }

    /** The same with starts made ahead, each kept for at most {@code millis} (0: none made). */
    ContainerSettings withPrepareAhead(long millis) {
        return new ContainerSettings(dataRoot, execRoot, defaultLogDriver, defaultLogOptions, defaultRuntime,
                initPath, cgroupParent, millis);
    }

    static ContainerSettings of(EngineConfig c) {
        return new ContainerSettings(Path.of(c.data_root()), Path.of(c.exec_root()), c.log_driver(),
                keyValues(c.log_opts(), "log option"), c.default_runtime(), Path.of(c.init_path()), c.cgroup_parent(),
                c.prepare_ahead() ? PREPARE_AHEAD_MILLIS : 0);
    }

    Path containersRoot() {
        return dataRoot.resolve("containers");
    }

    Path containerDir(String id) {
        return containersRoot().resolve(id);
    }

    Path bundleDir(String id) {
        return execRoot.resolve("containers").resolve(id);
    }

    Path runtimeStateDir(String runtime, String id) {
        return execRoot.resolve("runtime").resolve(runtime).resolve(id);
    }

    Path netnsPath(String id) {
        return execRoot.resolve("netns").resolve(id);
    }

    static Map<String, String> keyValues(String[] entries, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        if (entries == null) {
            return out;
        }
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw EngineException.invalid("invalid " + what + " \"" + e + "\": expected key=value");
            }
            out.put(e.substring(0, eq).trim(), e.substring(eq + 1).trim());
        }
        return out;
    }
}
