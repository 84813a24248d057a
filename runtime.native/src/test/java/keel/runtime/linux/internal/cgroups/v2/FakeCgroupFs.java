package keel.runtime.linux.internal.cgroups.v2;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * A cgroup v2 tree in a plain directory, and the part of the kernel the manager calls (mkdir, rmdir, kill) acting
 * like cgroupfs: a new directory gets the interface files of the controllers its parent's subtree_control
 * enables, cgroup.controllers lists them, and rmdir refuses a cgroup that still has processes.
 */
final class FakeCgroupFs {

    final Path root;
    final List<Long> killed = new ArrayList<>();
    final List<byte[]> programs = new ArrayList<>();
    final List<Integer> attached = new ArrayList<>();

    private static final Map<String, Map<String, String>> FILES = Map.of(
            "memory", Map.of("memory.max", "max\n", "memory.high", "max\n", "memory.swap.max", "max\n",
                    "memory.low", "0\n", "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n"),
            "cpu", Map.of("cpu.max", "max 100000\n", "cpu.weight", "100\n"),
            "cpuset", Map.of("cpuset.cpus", "\n", "cpuset.mems", "\n"),
            "pids", Map.of("pids.max", "max\n"),
            "io", Map.of("io.max", "\n"));

    FakeCgroupFs(Path root, String rootControllers) throws IOException {
        this.root = root;
        Files.createDirectories(root);
        Files.writeString(root.resolve("cgroup.controllers"), rootControllers + "\n");
        Files.writeString(root.resolve("cgroup.subtree_control"), rootControllers + "\n");
        Files.writeString(root.resolve("cgroup.procs"), "");
    }

    LinuxKernel kernel() {
        return (LinuxKernel) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {LinuxKernel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "mkdir" -> {
                        mkdir(Path.of((String) args[0]));
                        yield null;
                    }
                    case "rmdir" -> {
                        rmdir(Path.of((String) args[0]));
                        yield null;
                    }
                    case "rmdirIfExists" -> {
                        if (!Files.exists(Path.of((String) args[0]))) {
                            yield false;
                        }
                        rmdir(Path.of((String) args[0]));
                        yield true;
                    }
                    case "kill" -> {
                        killed.add((Long) args[0]);
                        yield null;
                    }
                    case "bpfProgLoad" -> {
                        programs.add((byte[]) args[1]);
                        yield 1000 + programs.size();
                    }
                    case "bpfProgAttach" -> {
                        attached.add((Integer) args[1]);
                        yield null;
                    }
                    case "open" -> 900;
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private void mkdir(Path dir) throws IOException {
        if (Files.exists(dir)) {
            throw new ErrnoException("mkdir", LinuxKernel.EEXIST, "File exists");
        }
        Files.createDirectory(dir);
        String enabled = Files.readString(dir.getParent().resolve("cgroup.subtree_control")).replace("+", "").trim();
        Files.writeString(dir.resolve("cgroup.controllers"), enabled + "\n");
        Files.writeString(dir.resolve("cgroup.subtree_control"), "");
        Files.writeString(dir.resolve("cgroup.procs"), "");
        Files.writeString(dir.resolve("cgroup.events"), "populated 0\nfrozen 0\n");
        Files.writeString(dir.resolve("cgroup.freeze"), "0\n");
        Files.writeString(dir.resolve("cgroup.kill"), "");
        for (String c : enabled.isEmpty() ? new String[0] : enabled.split("\\s+")) {
            for (Map.Entry<String, String> f : FILES.getOrDefault(c, Map.of()).entrySet()) {
                Files.writeString(dir.resolve(f.getKey()), f.getValue());
            }
        }
    }

    private void rmdir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ErrnoException("rmdir", LinuxKernel.ENOENT, "No such file or directory");
        }
        try (Stream<Path> children = Files.list(dir)) {
            if (children.anyMatch(Files::isDirectory)
                    || !Files.readString(dir.resolve("cgroup.procs")).isBlank()) {
                throw new ErrnoException("rmdir", LinuxKernel.EBUSY, "Device or resource busy");
            }
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    String read(String relative) throws IOException {
        return Files.readString(root.resolve(relative)).trim();
    }

    void write(String relative, String value) throws IOException {
        Files.writeString(root.resolve(relative), value);
    }

    static Set<String> words(String s) {
        return Set.of(s.trim().split("\\s+"));
    }

    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                m.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return m;
    }
}
