package keel.runtime.linux.internal.rootfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One line of /proc/[pid]/mountinfo (proc(5)): where a mount is, what it is, and how it propagates.
 *
 * @param optionalFields the tagged fields before the separator: {@code shared:N}, {@code master:N}, ...
 */
public record MountInfo(int id, int parentId, String root, String mountPoint, String mountOptions,
        List<String> optionalFields, String fsType, String source, String superOptions) {

    /** The mounts of the calling thread's mount namespace. */
    public static List<MountInfo> ofThisThread() throws IOException {
        return parse(Files.readString(Path.of("/proc/thread-self/mountinfo")));
    }

    public static List<MountInfo> parse(String text) {
        List<MountInfo> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(" ");
            int sep = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    sep = i;
                    break;
                }
            }
            if (sep < 0 || sep + 3 > f.length) {
                continue;
            }
            List<String> optional = List.of(f).subList(6, sep);
            out.add(new MountInfo(Integer.parseInt(f[0]), Integer.parseInt(f[1]), unescape(f[3]), unescape(f[4]),
                    f[5], List.copyOf(optional), f[sep + 1], unescape(f[sep + 2]),
                    sep + 3 < f.length ? f[sep + 3] : ""));
        }
        return out;
    }

    /** The mount whose mount point is exactly {@code path} (the topmost one if several are stacked). */
    public static Optional<MountInfo> at(List<MountInfo> mounts, String path) {
        MountInfo found = null;
        for (MountInfo m : mounts) {
            if (m.mountPoint().equals(path)) {
                found = m; // later lines are mounted on top of earlier ones
            }
        }
        return Optional.ofNullable(found);
    }

    /** The mount that holds {@code path}: the one with the longest mount point that is a prefix of it. */
    public static Optional<MountInfo> containing(List<MountInfo> mounts, String path) {
        MountInfo best = null;
        for (MountInfo m : mounts) {
            String mp = m.mountPoint();
            boolean prefix = mp.equals("/") || path.equals(mp) || path.startsWith(mp + "/");
            if (prefix && (best == null || mp.length() >= best.mountPoint().length())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    public boolean isShared() {
        return optionalFields.stream().anyMatch(f -> f.startsWith("shared:"));
    }

    /** mountinfo escapes space, tab, newline and backslash as octal (\040 ...). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }
}
