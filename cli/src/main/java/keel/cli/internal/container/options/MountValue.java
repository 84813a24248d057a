package keel.cli.internal.container.options;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * docker's --mount: comma-separated key=value fields (type defaults to volume), turned into the API's Mount object
 * with only the fields that were set, as Go's omitempty leaves them. Relative bind sources that start with "." are
 * made absolute against the working directory, as docker does.
 */
public final class MountValue {

    private MountValue() {
    }

    public static Map<String, Object> parse(String value) throws BadValue {
        List<String> fields = CsvFields.parse(value);
        String type = "volume";
        String source = null;
        String target = null;
        boolean readOnly = false;
        String consistency = null;
        Map<String, Object> bind = null;
        Map<String, Object> volume = null;
        Map<String, Object> image = null;
        Map<String, Object> tmpfs = null;
        for (String field : fields) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
            String val = eq < 0 ? "" : field.substring(eq + 1);
            if (eq < 0) {
                switch (key) {
                    case "readonly":
                    case "ro":
                        readOnly = true;
                        continue;
                    case "volume-nocopy":
                        volume = volumeOptions(volume);
                        volume.put("NoCopy", true);
                        continue;
                    case "bind-nonrecursive":
                        bind = options(bind);
                        bind.put("NonRecursive", true);
                        continue;
                    default:
                        throw new BadValue("invalid field '" + field + "' must be a key=value pair");
                }
            }
            switch (key) {
                case "type":
                    type = val.toLowerCase(Locale.ROOT);
                    break;
                case "source":
                case "src":
                    source = val;
                    if (!val.startsWith("/") && val.startsWith(".")) {
                        source = Path.of(val).toAbsolutePath().normalize().toString();
                    }
                    break;
                case "target":
                case "dst":
                case "destination":
                    target = val;
                    break;
                case "readonly":
                case "ro":
                    try {
                        readOnly = GoNumbers.parseBool(val);
                    } catch (BadValue e) {
                        throw new BadValue("invalid value for " + key + ": " + val);
                    }
                    break;
                case "consistency":
                    consistency = val.toLowerCase(Locale.ROOT);
                    break;
                case "bind-propagation":
                    bind = options(bind);
                    bind.put("Propagation", val.toLowerCase(Locale.ROOT));
                    break;
                case "bind-nonrecursive":
                    bind = options(bind);
                    try {
                        bind.put("NonRecursive", GoNumbers.parseBool(val));
                    } catch (BadValue e) {
                        throw new BadValue("invalid value for " + key + ": " + val);
                    }
                    break;
                case "bind-recursive":
                    bind = options(bind);
                    switch (val) {
                        case "enabled":
                            break;
                        case "disabled":
                            bind.put("NonRecursive", true);
                            break;
                        case "writable":
                            bind.put("ReadOnlyNonRecursive", true);
                            break;
                        case "readonly":
                            bind.put("ReadOnlyForceRecursive", true);
                            break;
                        default:
                            throw new BadValue("invalid value for " + key + ": " + val
                                    + " (must be \"enabled\", \"disabled\", \"writable\", or \"readonly\")");
                    }
                    break;
                case "volume-subpath":
                    volume = volumeOptions(volume);
                    volume.put("Subpath", val);
                    break;
                case "volume-nocopy":
                    volume = volumeOptions(volume);
                    try {
                        volume.put("NoCopy", GoNumbers.parseBool(val));
                    } catch (BadValue e) {
                        throw new BadValue("invalid value for volume-nocopy: " + val);
                    }
                    break;
                case "volume-label":
                    volume = volumeOptions(volume);
                    putKeyValue(labels(volume), val);
                    break;
                case "volume-driver":
                    volume = volumeOptions(volume);
                    driver(volume).put("Name", val);
                    break;
                case "volume-opt":
                    volume = volumeOptions(volume);
                    @SuppressWarnings("unchecked")
                    Map<String, String> opts = (Map<String, String>) driver(volume)
                            .computeIfAbsent("Options", k -> new LinkedHashMap<String, String>());
                    putKeyValue(opts, val);
                    break;
                case "image-subpath":
                    image = options(image);
                    image.put("Subpath", val);
                    break;
                case "tmpfs-size":
                    tmpfs = options(tmpfs);
                    try {
                        tmpfs.put("SizeBytes", RamSize.inBytes(val));
                    } catch (BadValue e) {
                        throw new BadValue("invalid value for " + key + ": " + val);
                    }
                    break;
                case "tmpfs-mode":
                    tmpfs = options(tmpfs);
                    try {
                        tmpfs.put("Mode", GoNumbers.parseUint(val, 8, 32));
                    } catch (BadValue e) {
                        throw new BadValue("invalid value for " + key + ": " + val);
                    }
                    break;
                default:
                    throw new BadValue("unexpected key '" + key + "' in '" + field + "'");
            }
        }
        if (type.isEmpty()) {
            throw new BadValue("type is required");
        }
        if (target == null || target.isEmpty()) {
            throw new BadValue("target is required");
        }
        if (volume != null && !type.equals("volume")) {
            throw new BadValue("cannot mix 'volume-*' options with mount type '" + type + "'");
        }
        if (image != null && !type.equals("image")) {
            throw new BadValue("cannot mix 'image-*' options with mount type '" + type + "'");
        }
        if (bind != null && !type.equals("bind")) {
            throw new BadValue("cannot mix 'bind-*' options with mount type '" + type + "'");
        }
        if (tmpfs != null && !type.equals("tmpfs")) {
            throw new BadValue("cannot mix 'tmpfs-*' options with mount type '" + type + "'");
        }
        if (bind != null) {
            if (Boolean.TRUE.equals(bind.get("ReadOnlyNonRecursive")) && !readOnly) {
                throw new BadValue("option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction");
            }
            if (Boolean.TRUE.equals(bind.get("ReadOnlyForceRecursive"))) {
                if (!readOnly) {
                    throw new BadValue("option 'bind-recursive=readonly' requires 'readonly' to be specified in "
                            + "conjunction");
                }
                if (!"rprivate".equals(bind.get("Propagation"))) {
                    throw new BadValue("option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be "
                            + "specified in conjunction");
                }
            }
        }
        // mount.Mount in its field order; omitempty drops what is zero.
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Type", type);
        if (source != null && !source.isEmpty()) {
            m.put("Source", source);
        }
        m.put("Target", target);
        if (readOnly) {
            m.put("ReadOnly", true);
        }
        if (consistency != null && !consistency.isEmpty()) {
            m.put("Consistency", consistency);
        }
        if (bind != null) {
            m.put("BindOptions", ordered(bind, "Propagation", "NonRecursive", "CreateMountpoint",
                    "ReadOnlyNonRecursive", "ReadOnlyForceRecursive"));
        }
        if (volume != null) {
            m.put("VolumeOptions", ordered(volume, "NoCopy", "Labels", "Subpath", "DriverConfig"));
        }
        if (image != null) {
            m.put("ImageOptions", ordered(image, "Subpath"));
        }
        if (tmpfs != null) {
            m.put("TmpfsOptions", ordered(tmpfs, "SizeBytes", "Mode"));
        }
        return m;
    }

    private static Map<String, Object> options(Map<String, Object> m) {
        return m == null ? new LinkedHashMap<>() : m;
    }

    /** VolumeOptions come with their Labels map and DriverConfig made, as docker's volumeOptions() makes them. */
    private static Map<String, Object> volumeOptions(Map<String, Object> m) {
        if (m == null) {
            m = new LinkedHashMap<>();
            m.put("Labels", new LinkedHashMap<String, String>());
            m.put("DriverConfig", new LinkedHashMap<String, Object>());
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> labels(Map<String, Object> volume) {
        return (Map<String, String>) volume.get("Labels");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> driver(Map<String, Object> volume) {
        return (Map<String, Object>) volume.get("DriverConfig");
    }

    private static void putKeyValue(Map<String, String> target, String value) {
        int eq = value.indexOf('=');
        String k = eq < 0 ? value : value.substring(0, eq);
        if (!k.isEmpty()) {
            target.put(k, eq < 0 ? "" : value.substring(eq + 1));
        }
    }

    /** Keeps the struct's field order and drops zero values (false, empty maps) as omitempty would. */
    private static Map<String, Object> ordered(Map<String, Object> m, String... keys) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : keys) {
            Object v = m.get(k);
            if (k.equals("DriverConfig")) {
                // a pointer in docker's struct: present (even as {}) once any volume-* option made it
                out.put(k, ordered(driver(m), "Name", "Options"));
                continue;
            }
            if (v == null || Boolean.FALSE.equals(v) || (v instanceof Map && ((Map<?, ?>) v).isEmpty())
                    || (v instanceof Number && ((Number) v).longValue() == 0) || "".equals(v)) {
                continue;
            }
            out.put(k, v);
        }
        return out;
    }
}
