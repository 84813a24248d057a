package keel.engine.core.internal.container.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A process environment as dockerd builds it (container.CreateDaemonEnvironment and ReplaceOrAppendEnvValues):
 * {@code PATH} (Docker's default), {@code HOSTNAME} and, with a terminal, {@code TERM=xterm} come first; the
 * container's Env then replaces a variable in place or is appended, and a bare {@code NAME} (no '=') removes it.
 * HOME is added last, from the user's passwd entry, when nothing set it: runc does that when it starts the process
 * and Keel's runtime reads only the spec.
 */
final class ContainerEnv {

    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private ContainerEnv() {}

    /** The daemon's part plus the container's Env. */
    static List<String> daemonEnvironment(String hostname, boolean tty, List<String> configEnv) {
        List<String> env = new ArrayList<>();
        env.add(DEFAULT_PATH);
        env.add("HOSTNAME=" + (hostname == null ? "" : hostname));
        if (tty) {
            env.add("TERM=xterm");
        }
        return replaceOrAppend(env, configEnv);
    }

    /** Docker's ReplaceOrAppendEnvValues. */
    static List<String> replaceOrAppend(List<String> defaults, List<String> overrides) {
        List<String> env = new ArrayList<>(defaults);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < env.size(); i++) {
            index.put(key(env.get(i)), i);
        }
        if (overrides != null) {
            for (String value : overrides) {
                int eq = value.indexOf('=');
                if (eq < 0) {
                    Integer i = index.get(value);
                    if (i != null) {
                        env.set(i, null);
                    }
                    continue;
                }
                Integer i = index.get(value.substring(0, eq));
                if (i != null) {
                    env.set(i, value);
                } else {
                    env.add(value);
                }
            }
        }
        env.removeIf(e -> e == null);
        return env;
    }

    /** Sets HOME=home unless the environment has a non-empty HOME (runc treats an empty one as unset). */
    static List<String> withHome(List<String> env, String home) {
        List<String> out = new ArrayList<>(env);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).startsWith("HOME=")) {
                if (out.get(i).length() > 5) {
                    return out;
                }
                out.set(i, "HOME=" + home);
                return out;
            }
        }
        out.add("HOME=" + home);
        return out;
    }

    private static String key(String entry) {
        int eq = entry.indexOf('=');
        return eq < 0 ? entry : entry.substring(0, eq);
    }
}
