package keel.engine.core.internal.container.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a host path is mounted and with which propagation: a bind with shared or slave propagation only works if
 * its source mount propagates, which Docker checks before it starts the container (oci_linux.go ensureShared).
 */
public interface MountTable {

    /**
     * @param mountPoint     the mount the path lives on
     * @param optionalFields the optional fields of its mountinfo line ("shared:1 master:2", may be empty)
     */
    record MountInfo(String mountPoint, String optionalFields) {

        boolean isShared() {
            return hasField("shared:");
        }

        boolean isSlave() {
            return hasField("master:");
        }

        private boolean hasField(String prefix) {
            for (String f : optionalFields.split(" ")) {
                if (f.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The mount holding {@code path} (symlinks resolved), or null when none does. */
    MountInfo mountOf(Path path) throws IOException;

    /** This process's mount table, /proc/self/mountinfo. */
    static MountTable proc() {
        return path -> {
            Path real = path.toRealPath();
            return longestPrefix(Files.readAllLines(Path.of("/proc/self/mountinfo")), real.toString());
        };
    }

    /** The entry of {@code lines} (mountinfo format) with the longest mount point containing {@code path}. */
    static MountInfo longestPrefix(List<String> lines, String path) {
        MountInfo best = null;
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length < 7) {
                continue;
            }
            String mp = unescape(f[4]);
            boolean contains = mp.equals("/") || path.equals(mp) || path.startsWith(mp + "/");
            if (!contains || (best != null && best.mountPoint().length() >= mp.length())) {
                continue;
            }
            StringBuilder opt = new StringBuilder();
            for (int i = 6; i < f.length && !f[i].equals("-"); i++) {
                if (opt.length() > 0) {
                    opt.append(' ');
                }
                opt.append(f[i]);
            }
            best = new MountInfo(mp, opt.toString());
        }
        return best;
    }

    /** mountinfo escapes space, tab, newline and backslash as \ooo. */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 4 <= s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
