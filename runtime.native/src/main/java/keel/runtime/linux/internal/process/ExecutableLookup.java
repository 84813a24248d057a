package keel.runtime.linux.internal.process;

import keel.engine.api.runtime.ContainerStartException;
import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * Finds process.args[0] the way runc does (Go's exec.LookPath), in the container's root (the caller has pivoted):
 * a name with a slash is used as it is, anything else is looked up in the container's $PATH. The error messages
 * are runc's, word for word, because the docker CLI turns "executable file not found" and "no such file or
 * directory" into exit code 127 and "permission denied" into 126.
 */
public final class ExecutableLookup {

    /** stat(2) as seen from inside the container; null (or ENOENT thrown) when there is nothing there. */
    public interface Stat {
        LinuxKernel.FileStat stat(String path) throws ErrnoException;
    }

    private ExecutableLookup() {}

    /**
     * @param cwd the process's working directory, for names relative to it
     * @return the path to hand to execve
     */
    public static String find(String name, String pathEnv, String cwd, Stat stat) throws ContainerStartException {
        if (name == null || name.isEmpty()) {
            throw new ContainerStartException("exec: \"\": executable file not found in $PATH");
        }
        if (name.indexOf('/') >= 0) {
            String probe = name.startsWith("/") ? name : join(cwd, name);
            try {
                LinuxKernel.FileStat st = stat.stat(probe);
                if (st == null) {
                    throw new ErrnoException("stat(" + probe + ")", LinuxKernel.ENOENT, "No such file or directory");
                }
                if (!executable(st)) {
                    throw new ContainerStartException("exec: \"" + name + "\": permission denied");
                }
                return name;
            } catch (ErrnoException e) {
                throw new ContainerStartException(
                        "exec: \"" + name + "\": stat " + name + ": " + e.goStyleReason(), e);
            }
        }
        if (pathEnv != null) {
            for (String dir : pathEnv.split(":", -1)) {
                if (dir.isEmpty()) {
                    dir = "."; // an empty PATH entry is the current directory (unix semantics)
                }
                String candidate = dir + "/" + name;
                String probe = candidate.startsWith("/") ? candidate : join(cwd, candidate);
                try {
                    LinuxKernel.FileStat st = stat.stat(probe);
                    if (st != null && executable(st)) {
                        if (!dir.startsWith("/")) {
                            // Go 1.19+ (runc >= 1.1.5) refuses what $PATH finds relative to the working directory.
                            throw new ContainerStartException("exec: \"" + name + "\": cannot run executable found"
                                    + " relative to current directory");
                        }
                        return candidate;
                    }
                } catch (ErrnoException e) {
                    // not in this directory
                }
            }
        }
        throw new ContainerStartException("exec: \"" + name + "\": executable file not found in $PATH");
    }

    private static boolean executable(LinuxKernel.FileStat st) {
        return !st.isDirectory() && (st.mode() & 0111) != 0;
    }

    private static String join(String dir, String name) {
        if (dir == null || dir.isEmpty()) {
            dir = "/";
        }
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    /** The value of PATH in an environment list, or null. */
    public static String pathOf(java.util.List<String> env) {
        String path = null;
        if (env != null) {
            for (String e : env) {
                if (e.startsWith("PATH=")) {
                    path = e.substring(5); // the last one wins, as getenv on the built environment would
                }
            }
        }
        return path;
    }
}
