package keel.engine.core.internal.container.spec;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import keel.engine.api.container.HostConfig;
import keel.engine.api.container.MountSpec;
import keel.engine.api.errors.EngineException;

/**
 * Parses the user's mounts of a HostConfig as Docker does at create time (moby volume/mounts linux_parser.go and
 * daemon/volumes.go registerMountPoints): {@code -v} strings, {@code --mount} objects and the {@code --tmpfs}
 * map, with Docker's messages for every refusal.
 *
 * <p>Named and anonymous volumes are refused ({@code volumes are not supported yet}): Keel has no volume store.
 */
final class UserMounts {

    static final String VOLUMES_UNSUPPORTED = "volumes are not supported yet";

    private static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "shared", "rshared", "slave",
            "rslave");
    private static final String DEFAULT_PROPAGATION = "rprivate";

    private final String dataRoot;

    /** @param dataRoot the daemon's data root (binds of it get rslave propagation), or null */
    UserMounts(Path dataRoot) {
        this.dataRoot = dataRoot == null ? null : dataRoot.toString();
    }

    /**
     * The user mounts in the order Docker hands them to its spec builder before sorting: tmpfs mounts
     * ({@code --tmpfs}, then {@code --mount type=tmpfs}), then binds ({@code -v}, then {@code --mount}).
     *
     * @param checkSources check that {@code --mount} bind sources exist (Docker does so at create)
     */
    List<UserMount> collect(HostConfig hc, boolean checkSources) {
        List<UserMount> tmpfs = new ArrayList<>();
        List<UserMount> binds = new ArrayList<>();
        Set<String> bindDestinations = new HashSet<>();
        Map<String, String> tmpfsMap = hc.tmpfs() == null ? Map.of() : hc.tmpfs();
        for (Map.Entry<String, String> e : tmpfsMap.entrySet()) {
            validateTmpfsDestination(e.getKey());
            tmpfs.add(UserMount.tmpfs(e.getKey(), e.getValue() == null ? "" : e.getValue()));
        }
        if (hc.binds() != null) {
            for (String raw : hc.binds()) {
                UserMount m = parseBind(raw);
                if (bindDestinations.contains(m.destination()) || tmpfsMap.containsKey(m.destination())) {
                    throw EngineException.invalid("Duplicate mount point: " + m.destination());
                }
                bindDestinations.add(m.destination());
                binds.add(m);
            }
        }
        if (hc.mounts() != null) {
            for (MountSpec spec : hc.mounts()) {
                UserMount m = parseMount(spec, checkSources);
                if (bindDestinations.contains(m.destination())) {
                    throw EngineException.invalid("Duplicate mount point: " + spec.target());
                }
                bindDestinations.add(m.destination());
                (m.tmpfs() ? tmpfs : binds).add(m);
            }
        }
        List<UserMount> all = new ArrayList<>(tmpfs);
        all.addAll(binds);
        return all;
    }

    /** Docker's ValidateTmpfsMountDestination. */
    static void validateTmpfsDestination(String dest) {
        if (clean(dest.replace('\\', '/')).equals("/")) {
            throw EngineException.invalid("invalid specification: destination can't be '/'");
        }
        if (!dest.replace('\\', '/').startsWith("/")) {
            throw EngineException.invalid("invalid mount path: '" + dest + "' mount path must be absolute");
        }
    }

    // ---- -v host:container[:mode]

    UserMount parseBind(String raw) {
        String[] arr = splitN(raw, ':', 4);
        if (arr[0].isEmpty()) {
            throw invalidSpec(raw);
        }
        String source = "";
        String target;
        String mode = "";
        switch (arr.length) {
            case 1 -> target = arr[0];
            case 2 -> {
                if (validMode(arr[1])) {
                    // "/foo:rw" names a volume with a mode: volumes cannot have one
                    throw invalidSpec(raw);
                }
                source = arr[0];
                target = arr[1];
            }
            case 3 -> {
                source = arr[0];
                target = arr[1];
                mode = arr[2];
            }
            default -> throw invalidSpec(raw);
        }
        if (!validMode(mode)) {
            throw EngineException.invalid("invalid mode: " + mode);
        }
        boolean bind = source.startsWith("/");
        String type = bind ? "bind" : "volume";
        try {
            validateTarget(type, target);
            if (bind && hasMode(mode, "nocopy")) {
                // Docker turns nocopy into VolumeOptions, which a bind must not carry
                throw mountConfig(type, "field VolumeOptions must not be specified");
            }
            if (!bind) {
                throw EngineException.invalid(VOLUMES_UNSUPPORTED);
            }
        } catch (EngineException e) {
            if (e.getMessage().equals(VOLUMES_UNSUPPORTED)) {
                throw e;
            }
            throw EngineException.invalid("invalid volume specification: '" + raw + "': " + e.getMessage());
        }
        boolean explicit = false;
        String propagation = DEFAULT_PROPAGATION;
        for (String o : mode.split(",")) {
            if (PROPAGATIONS.contains(o)) {
                propagation = o;
                explicit = true;
            }
        }
        boolean writable = !hasMode(mode, "ro");
        UserMount m = UserMount.bind(clean(source), clean(target), writable, propagation, explicit, false, true);
        return daemonRootPropagation(m, explicit ? propagation : null, explicit);
    }

    // ---- --mount

    UserMount parseMount(MountSpec spec, boolean checkSources) {
        String type = spec.type() == null ? "" : spec.type();
        String target = spec.target() == null ? "" : spec.target();
        String source = spec.source() == null ? "" : spec.source();
        boolean readOnly = Boolean.TRUE.equals(spec.readOnly());
        validateTarget(type, target);
        switch (type) {
            case "bind" -> {
                if (source.isEmpty()) {
                    throw mountConfig(type, "field Source must not be empty");
                }
                MountSpec.BindOptions bo = spec.bindOptions();
                String propagation = bo == null || bo.propagation() == null ? "" : bo.propagation();
                if (!propagation.isEmpty() && !PROPAGATIONS.contains(propagation)) {
                    throw mountConfig(type, "invalid propagation mode: " + propagation);
                }
                if (!source.replace('\\', '/').startsWith("/")) {
                    throw mountConfig(type, "invalid mount path: '" + source + "' mount path must be absolute");
                }
                boolean create = bo != null && Boolean.TRUE.equals(bo.createMountpoint());
                if (checkSources && !create && !Files.exists(Path.of(source), LinkOption.NOFOLLOW_LINKS)) {
                    throw mountConfig(type, "bind source path does not exist: " + source);
                }
                boolean explicit = !propagation.isEmpty();
                UserMount m = UserMount.bind(clean(source), clean(target), !readOnly,
                        explicit ? propagation : DEFAULT_PROPAGATION, explicit,
                        bo != null && Boolean.TRUE.equals(bo.nonRecursive()), create);
                return daemonRootPropagation(m, bo == null ? null : propagation, explicit);
            }
            case "tmpfs" -> {
                if (spec.bindOptions() != null) {
                    throw mountConfig(type, "field BindOptions must not be specified");
                }
                if (!source.isEmpty()) {
                    throw mountConfig(type, "field Source must not be specified");
                }
                return UserMount.tmpfs(clean(target), TmpfsMountOptions.dataOf(spec.tmpfsOptions(), readOnly));
            }
            case "volume" -> {
                if (spec.bindOptions() != null) {
                    throw mountConfig(type, "field BindOptions must not be specified");
                }
                if (readOnly && source.isEmpty()) {
                    throw mountConfig(type, "must not set ReadOnly mode when using anonymous volumes");
                }
                throw EngineException.invalid(VOLUMES_UNSUPPORTED);
            }
            case "image" -> throw EngineException.invalid("image mounts are not supported yet");
            default -> throw mountConfig(type, "mount type unknown");
        }
    }

    /**
     * Docker's validateBindDaemonRoot: a bind of the data root (or of one of its parents) must not be private,
     * else the container would pin the daemon's later mounts (container rootfs, shm) in its namespace. Without an
     * explicit propagation it gets rslave; an explicit one must be rslave or rshared. Docker compares the paths as
     * strings, so /var/lib/keel2 counts as inside /var/lib/keel: Keel keeps that.
     *
     * @param bindOptionsPropagation null when the user gave no BindOptions at all, else its (maybe empty) value
     */
    private UserMount daemonRootPropagation(UserMount m, String bindOptionsPropagation, boolean explicit) {
        if (dataRoot == null || !(m.source().startsWith(dataRoot) || dataRoot.startsWith(m.source()))) {
            return m;
        }
        if (bindOptionsPropagation == null || bindOptionsPropagation.isEmpty()) {
            return m.withPropagation("rslave");
        }
        if (bindOptionsPropagation.equals("rslave") || bindOptionsPropagation.equals("rshared")) {
            return m;
        }
        throw EngineException.invalid("invalid mount config: must use either propagation mode \"rslave\" or "
                + "\"rshared\" when mount source is within the daemon root, daemon root: " + GoQuoted.of(dataRoot)
                + ", bind mount source: " + GoQuoted.of(m.source()) + ", propagation: "
                + GoQuoted.of(bindOptionsPropagation));
    }

    private static void validateTarget(String type, String target) {
        if (target.isEmpty()) {
            throw mountConfig(type, "field Target must not be empty");
        }
        String t = target.replace('\\', '/');
        if (clean(t).equals("/")) {
            throw mountConfig(type, "invalid specification: destination can't be '/'");
        }
        if (!t.startsWith("/")) {
            throw mountConfig(type, "invalid mount path: '" + t + "' mount path must be absolute");
        }
    }

    private static EngineException mountConfig(String type, String message) {
        return EngineException.invalid("invalid mount config for type " + GoQuoted.of(type) + ": " + message);
    }

    private static EngineException invalidSpec(String raw) {
        return EngineException.invalid("invalid volume specification: '" + raw + "'");
    }

    /** Docker's linuxValidMountMode: comma-separated, at most one of each kind. */
    static boolean validMode(String mode) {
        if (mode.isEmpty()) {
            return true;
        }
        int rw = 0;
        int label = 0;
        int propagation = 0;
        int copy = 0;
        int consistency = 0;
        for (String o : mode.split(",", -1)) {
            switch (o) {
                case "rw", "ro" -> rw++;
                case "z", "Z" -> label++;
                case "private", "rprivate", "shared", "rshared", "slave", "rslave" -> propagation++;
                case "nocopy" -> copy++;
                case "consistent", "cached", "delegated" -> consistency++;
                default -> {
                    return false;
                }
            }
        }
        return rw <= 1 && label <= 1 && propagation <= 1 && copy <= 1 && consistency <= 1;
    }

    private static boolean hasMode(String mode, String o) {
        for (String s : mode.split(",")) {
            if (s.equals(o)) {
                return true;
            }
        }
        return false;
    }

    /** Go's strings.SplitN. */
    static String[] splitN(String s, char sep, int n) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (out.size() < n - 1) {
            int i = s.indexOf(sep, start);
            if (i < 0) {
                break;
            }
            out.add(s.substring(start, i));
            start = i + 1;
        }
        out.add(s.substring(start));
        return out.toArray(String[]::new);
    }

    /** Go's path.Clean for absolute and relative slash paths. */
    static String clean(String p) {
        if (p.isEmpty()) {
            return ".";
        }
        boolean rooted = p.startsWith("/");
        List<String> parts = new ArrayList<>();
        for (String c : p.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!parts.isEmpty() && !parts.get(parts.size() - 1).equals("..")) {
                    parts.remove(parts.size() - 1);
                } else if (!rooted) {
                    parts.add(c);
                }
                continue;
            }
            parts.add(c);
        }
        String joined = String.join("/", parts);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }
}
