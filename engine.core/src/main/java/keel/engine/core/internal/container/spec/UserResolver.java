package keel.engine.core.internal.container.spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import keel.engine.api.errors.EngineException;

/**
 * Resolves {@code -u} ({@code name}, {@code uid}, {@code name:group}, {@code uid:gid}, {@code uid:group}, ...)
 * and {@code --group-add} against the container's own /etc/passwd and /etc/group, as dockerd does with
 * moby/sys/user GetExecUser: a numeric id needs no entry, a name does; {@code -u name} brings the groups that list
 * the user as a member, {@code -u name:group} does not. The files are read through {@link RootfsFiles}, so links
 * in the image cannot point the daemon at a host file.
 *
 * <p>Errors carry Docker's messages ({@code unable to find user foo: no matching entries in passwd file}) as
 * INVALID_PARAMETER.
 */
public final class UserResolver {

    /** The largest id moby/sys/user accepts (kept 31-bit for 32-bit systems). */
    static final long MAX_ID = (1L << 31) - 1;

    private static final String RANGE = "uids and gids must be in range 0-" + MAX_ID;

    private final List<EtcPasswd.User> users;
    private final List<EtcPasswd.Group> groups;

    /** Reads the rootfs's /etc/passwd and /etc/group; missing files are no error (numeric ids still resolve). */
    public UserResolver(Path rootfs) {
        RootfsFiles files = new RootfsFiles(rootfs);
        this.users = EtcPasswd.parseUsers(readOrNull(files, "/etc/passwd"));
        this.groups = EtcPasswd.parseGroups(readOrNull(files, "/etc/group"));
    }

    /** From file contents (null: no such file). */
    UserResolver(byte[] passwd, byte[] group) {
        this.users = EtcPasswd.parseUsers(passwd);
        this.groups = EtcPasswd.parseGroups(group);
    }

    /**
     * The user a process runs as.
     *
     * @param home the home directory runc would set as HOME: the first passwd entry with the resolved uid, else "/"
     */
    public record ResolvedUser(long uid, long gid, List<Long> supplementaryGids, String home) {}

    public ResolvedUser resolve(String userSpec) {
        String spec = userSpec == null ? "" : userSpec;
        String[] parts = spec.split(":", -1);
        String userArg = parts[0];
        String groupArg = parts.length > 1 ? parts[1] : "";
        Long uidArg = EtcPasswd.parseLong(userArg);
        Long gidArg = EtcPasswd.parseLong(groupArg);

        long uid = 0;
        long gid = 0;
        String matchedName = "";
        EtcPasswd.User match = null;
        for (EtcPasswd.User u : users) {
            boolean hit = userArg.isEmpty() ? u.uid() == 0
                    : uidArg != null ? u.uid() == uidArg : u.name().equals(userArg);
            if (hit) {
                match = u;
                break;
            }
        }
        if (match != null) {
            matchedName = match.name();
            uid = match.uid();
            gid = match.gid();
        } else if (!userArg.isEmpty()) {
            if (uidArg == null) {
                throw EngineException.invalid("unable to find user " + userArg + ": no matching entries in passwd file");
            }
            uid = uidArg;
            if (uid < 0 || uid > MAX_ID) {
                throw EngineException.invalid(RANGE);
            }
        }

        List<Long> sgids = new ArrayList<>();
        if (!groupArg.isEmpty() || !matchedName.isEmpty()) {
            List<EtcPasswd.Group> hits = new ArrayList<>();
            for (EtcPasswd.Group g : groups) {
                boolean hit = groupArg.isEmpty() ? g.members().contains(matchedName)
                        : gidArg != null ? g.gid() == gidArg : g.name().equals(groupArg);
                if (hit) {
                    hits.add(g);
                }
            }
            if (!groupArg.isEmpty()) {
                if (!hits.isEmpty()) {
                    gid = hits.get(0).gid();
                } else {
                    if (gidArg == null) {
                        throw EngineException.invalid(
                                "unable to find group " + groupArg + ": no matching entries in group file");
                    }
                    gid = gidArg;
                    if (gid < 0 || gid > MAX_ID) {
                        throw EngineException.invalid(RANGE);
                    }
                }
            } else {
                for (EtcPasswd.Group g : hits) {
                    sgids.add(g.gid());
                }
            }
        }
        return new ResolvedUser(uid, gid, List.copyOf(sgids), homeOf(uid));
    }

    /**
     * The gids of {@code --group-add} entries (names or numbers), each once, in the order given (Docker returns
     * them from a Go map, in no particular order; a stable one is kinder to tests and to `id` output).
     */
    public List<Long> additionalGroups(List<String> groupAdd) {
        Set<Long> out = new LinkedHashSet<>();
        if (groupAdd == null) {
            return List.of();
        }
        for (String ag : groupAdd) {
            boolean found = false;
            for (EtcPasswd.Group g : groups) {
                if (g.name().equals(ag) || Long.toString(g.gid()).equals(ag)) {
                    if (!out.contains(g.gid())) {
                        out.add(g.gid());
                        found = true;
                        break;
                    }
                }
            }
            if (!found) {
                Long gid = EtcPasswd.parseLong(ag);
                if (gid == null) {
                    throw EngineException.invalid(
                            "Unable to find group " + ag + ": no matching entries in group file");
                }
                if (gid < 0 || gid > MAX_ID) {
                    throw EngineException.invalid(RANGE);
                }
                out.add(gid);
            }
        }
        return List.copyOf(out);
    }

    /** HOME as runc sets it when the environment has none: the first entry with that uid, else "/". */
    public String homeOf(long uid) {
        for (EtcPasswd.User u : users) {
            if (u.uid() == uid) {
                return u.home();
            }
        }
        return "/";
    }

    private static byte[] readOrNull(RootfsFiles files, String path) {
        try {
            return files.read(path);
        } catch (IOException e) {
            // Docker opens the file and, failing that, proceeds as if there were none; a directory or a device
            // where /etc/passwd should be is treated the same way
            return null;
        }
    }
}
