package keel.storage.overlay.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Mount points of this process's mount namespace, from {@code /proc/self/mountinfo} (proc(5)). */
final class MountInfo {

    private MountInfo() {
    }

    /** Mount points strictly below {@code dir}, deepest first: the order to unmount them in. */
    static List<Path> mountPointsUnder(Path dir) throws IOException {
        return mountPointsUnder(dir, Files.readAllLines(Path.of("/proc/self/mountinfo")));
    }

    static List<Path> mountPointsUnder(Path dir, List<String> mountinfo) {
        Path base = dir.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>();
        for (String line : mountinfo) {
            // "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw": field 5 is the mount point.
            String[] fields = line.split(" ");
            if (fields.length < 5) {
                continue;
            }
            Path mountPoint = Path.of(unescape(fields[4]));
            if (mountPoint.startsWith(base) && !mountPoint.equals(base)) {
                out.add(mountPoint);
            }
        }
        out.sort((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount()));
        return out;
    }

    /** The kernel writes space, tab, newline and backslash in paths as a backslash and three octal digits. */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && isOctal(s.charAt(i + 1)) && isOctal(s.charAt(i + 2))
                    && isOctal(s.charAt(i + 3))) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }
}
