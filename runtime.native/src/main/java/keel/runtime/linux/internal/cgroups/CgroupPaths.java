package keel.runtime.linux.internal.cgroups;

/** cgroupsPath as the runtime spec defines it for the cgroupfs driver: relative to each hierarchy's root. */
public final class CgroupPaths {

    private CgroupPaths() {}

    /**
     * "/keel/ID" becomes "keel/ID". Rejects ".." components: a crafted path must not make us create or remove
     * directories outside the hierarchy.
     */
    public static String relative(String cgroupsPath) {
        if (cgroupsPath == null || cgroupsPath.isBlank()) {
            throw new IllegalArgumentException("empty cgroupsPath");
        }
        if (cgroupsPath.contains(":")) {
            throw new IllegalArgumentException("cgroupsPath " + cgroupsPath
                    + " is in the systemd driver's slice:prefix:name form; the native runtime uses cgroupfs");
        }
        StringBuilder out = new StringBuilder();
        for (String part : cgroupsPath.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new IllegalArgumentException("cgroupsPath " + cgroupsPath + " leaves the cgroup hierarchy");
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(part);
        }
        if (out.length() == 0) {
            throw new IllegalArgumentException("cgroupsPath " + cgroupsPath + " names the root cgroup");
        }
        return out.toString();
    }
}
