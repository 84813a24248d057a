package keel.engine.core.internal.container.spec;

/**
 * A mount the user asked for (Binds, Mounts, Tmpfs), after parsing, before it becomes a spec mount: Docker's
 * container.Mount.
 *
 * @param tmpfs                a tmpfs (source "tmpfs", {@code data} its user options) rather than a bind
 * @param source               host path of a bind
 * @param destination          cleaned path in the container
 * @param writable             false for :ro / ReadOnly
 * @param propagation          private, rprivate (default), shared, rshared, slave or rslave
 * @param propagationExplicit  the user named the propagation (Docker then never falls back for daemon-root binds)
 * @param nonRecursive         {@code bind-recursive=disabled}: "bind" rather than "rbind"
 * @param createSource         create a missing host directory (always for -v; --mount only with CreateMountpoint)
 */
record UserMount(boolean tmpfs, String source, String destination, boolean writable, String propagation,
        boolean propagationExplicit, boolean nonRecursive, String data, boolean createSource) {

    static UserMount tmpfs(String destination, String data) {
        return new UserMount(true, "tmpfs", destination, true, null, false, false, data, false);
    }

    static UserMount bind(String source, String destination, boolean writable, String propagation,
            boolean propagationExplicit, boolean nonRecursive, boolean createSource) {
        return new UserMount(false, source, destination, writable, propagation, propagationExplicit, nonRecursive,
                null, createSource);
    }

    UserMount withPropagation(String p) {
        return new UserMount(tmpfs, source, destination, writable, p, propagationExplicit, nonRecursive, data,
                createSource);
    }

    /** Path depth as Docker sorts mounts: the number of separators in the cleaned destination. */
    int depth() {
        int n = 0;
        for (int i = 0; i < destination.length(); i++) {
            if (destination.charAt(i) == '/') {
                n++;
            }
        }
        return n;
    }
}
