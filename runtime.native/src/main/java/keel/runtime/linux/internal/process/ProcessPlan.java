package keel.runtime.linux.internal.process;

import java.util.ArrayList;
import java.util.List;

import keel.engine.api.oci.Process;
import keel.engine.api.runtime.ContainerStartException;

/**
 * An OCI process checked and turned into what the spawn needs: argv, envp, working directory, credentials,
 * umask, limits and whether it gets a terminal.
 */
public record ProcessPlan(List<String> args, List<String> env, String cwd, Credentials credentials, int umask,
        List<Rlimits.Limit> rlimits, Integer oomScoreAdj, boolean terminal) {

    /** runc's (and Docker's) umask when the spec sets none. */
    public static final int DEFAULT_UMASK = 022;

    public static ProcessPlan of(Process p, int lastCap) throws ContainerStartException {
        if (p == null) {
            throw new ContainerStartException("process property must not be empty");
        }
        if (p.args() == null || p.args().isEmpty()) {
            throw new ContainerStartException("args must not be empty");
        }
        String cwd = p.cwd() == null || p.cwd().isEmpty() ? "/" : p.cwd();
        if (!cwd.startsWith("/")) {
            throw new ContainerStartException("cwd property must be an absolute path: " + cwd);
        }
        Process.User u = p.user();
        long uid = u == null ? 0 : u.uid();
        long gid = u == null ? 0 : u.gid();
        List<Long> extra = u == null || u.additionalGids() == null ? List.of() : u.additionalGids();
        long[] gids = new long[extra.size()];
        for (int i = 0; i < gids.length; i++) {
            gids[i] = extra.get(i);
        }
        Credentials creds = new Credentials(uid, gid, gids, Capabilities.of(p.capabilities(), lastCap),
                Boolean.TRUE.equals(p.noNewPrivileges()), lastCap);
        int umask = u != null && u.umask() != null ? u.umask() : DEFAULT_UMASK;
        List<Rlimits.Limit> limits;
        try {
            limits = Rlimits.of(p.rlimits());
        } catch (IllegalArgumentException e) {
            throw new ContainerStartException(e.getMessage(), e);
        }
        List<String> env = p.env() == null ? new ArrayList<>() : new ArrayList<>(p.env());
        return new ProcessPlan(List.copyOf(p.args()), env, cwd, creds, umask, limits, p.oomScoreAdj(),
                Boolean.TRUE.equals(p.terminal()));
    }

    public long uid() {
        return credentials.uid();
    }

    public long gid() {
        return credentials.gid();
    }
}
