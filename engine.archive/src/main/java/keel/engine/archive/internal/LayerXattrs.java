package keel.engine.archive.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Which extended attributes travel in layer tars, and reading them off a file. */
final class LayerXattrs {

    /** overlayfs's own metadata: opaque dirs, redirects, origins, metacopy (trusted.*, or user.* with userxattr). */
    static final String OVERLAY_TRUSTED = "trusted.overlay.";
    static final String OVERLAY_USER = "user.overlay.";
    static final String OVERLAY_OPAQUE = "trusted.overlay.opaque";

    private LayerXattrs() {
    }

    /**
     * Whether attribute {@code name} is carried from a tar to disk and from disk to a tar. overlayfs metadata never
     * is: an archive that could set {@code trusted.overlay.opaque} or {@code .redirect} on a layer directory would
     * make the merged mount show or hide content of other layers, so it is dropped (a legitimate opaque directory
     * arrives as a {@code .wh..wh..opq} entry). Namespaces other than user, security and trusted (system.* ACLs,
     * which depend on the file system) are left out, as Docker leaves them out.
     */
    static boolean carried(String name) {
        if (name.startsWith(OVERLAY_TRUSTED) || name.startsWith(OVERLAY_USER)) {
            return false;
        }
        return name.startsWith("user.") || name.startsWith("security.") || name.startsWith("trusted.");
    }

    /** The attributes of {@code path} that {@link #carried} allows, sorted by name. */
    static SortedMap<String, byte[]> readCarried(FileSystemCalls fs, Path path) throws IOException {
        SortedMap<String, byte[]> xattrs = new TreeMap<>();
        for (String name : fs.listXattrs(path)) {
            if (carried(name)) {
                byte[] value = fs.getXattr(path, name);
                if (value != null) {
                    xattrs.put(name, value);
                }
            }
        }
        return xattrs;
    }

    /** Every attribute of {@code path}, overlayfs's included (for copies of a layer's directory). */
    static SortedMap<String, byte[]> readAll(FileSystemCalls fs, Path path) throws IOException {
        SortedMap<String, byte[]> xattrs = new TreeMap<>();
        for (String name : fs.listXattrs(path)) {
            byte[] value = fs.getXattr(path, name);
            if (value != null) {
                xattrs.put(name, value);
            }
        }
        return xattrs;
    }

    static boolean equal(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
