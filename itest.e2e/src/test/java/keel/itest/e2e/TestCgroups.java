package keel.itest.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A cgroup parent of a test's own ({@code /keel-e2e-...}), so that what the test's daemon starts never lands under
 * the host's /keel, and {@link #remove} can take away all of it, even after a failure left containers running (a
 * stopped keeld leaves its containers running, as dockerd with live-restore does).
 */
final class TestCgroups {

    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private TestCgroups() {}

    static String newParent() {
        return "/keel-e2e-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Kills the processes in {@code parent} (by PID; they can only be the test's) and removes its cgroups, deepest
     * first, in every hierarchy: the v1 controllers' trees and the v2 (or hybrid unified) tree.
     */
    static void remove(String parent) throws IOException, InterruptedException {
        List<Path> tops = new ArrayList<>();
        tops.add(ROOT.resolve(parent.substring(1))); // a v2 host
        try (Stream<Path> hierarchies = Files.list(ROOT)) {
            hierarchies.filter(Files::isDirectory).map(h -> h.resolve(parent.substring(1))).forEach(tops::add);
        }
        List<Path> dirs = new ArrayList<>();
        for (Path top : tops) {
            if (Files.isDirectory(top)) {
                try (Stream<Path> s = Files.walk(top)) {
                    s.filter(Files::isDirectory).forEach(dirs::add);
                }
            }
        }
        for (Path dir : dirs) {
            Path procs = dir.resolve("cgroup.procs");
            if (Files.exists(procs)) {
                for (String pid : Files.readAllLines(procs)) {
                    ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (Path dir : dirs) {
            while (true) {
                try {
                    Files.deleteIfExists(dir);
                    break;
                } catch (IOException busy) { // EBUSY until the killed processes are gone
                    if (System.nanoTime() > deadline) {
                        throw busy;
                    }
                    Thread.sleep(20);
                }
            }
        }
    }
}
