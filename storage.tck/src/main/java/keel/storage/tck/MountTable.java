package keel.storage.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The calling process's mount points, read from {@code /proc/self/mountinfo}: how the suite checks that a driver
 * mounts what it says and leaves nothing mounted behind.
 */
public final class MountTable {

    private MountTable() {
    }

    /** Mount points strictly below {@code dir}, deepest first (the order to unmount them in). */
    public static List<Path> mountPointsUnder(Path dir) throws IOException {
        Path base = Files.exists(dir) ? dir.toRealPath() : dir.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length < 5) {
                continue;
            }
            Path mountPoint = Path.of(unescape(f[4]));
            if (mountPoint.startsWith(base) && !mountPoint.equals(base)) {
                out.add(mountPoint);
            }
        }
        out.sort((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount()));
        return out;
    }

    /** mountinfo writes space, tab, newline and backslash in paths as three-digit octal escapes. */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).chars().allMatch(Character::isDigit)) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
