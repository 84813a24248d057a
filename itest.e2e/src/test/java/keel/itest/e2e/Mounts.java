package keel.itest.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The test's own mounts: found in /proc/self/mountinfo under a directory the test made, and removed. */
final class Mounts {
    private Mounts() {}

    static List<String> under(Path dir) throws IOException {
        String prefix = dir.toString() + "/";
        List<String> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mountPoint = unescape(line.split(" ")[4]);
            if (mountPoint.startsWith(prefix) || mountPoint.equals(dir.toString())) {
                found.add(mountPoint);
            }
        }
        return found;
    }

    /** Unmounts (lazily, deepest first) every mount under dir. */
    static void unmountUnder(Path dir) throws IOException, InterruptedException {
        List<String> mounts = under(dir);
        mounts.sort(Comparator.comparingInt(String::length).reversed());
        for (String m : mounts) {
            new ProcessBuilder("umount", "-l", m).inheritIO().start().waitFor();
        }
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
