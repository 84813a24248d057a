package keel.engine.core.internal.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Facts about the host read from /proc, /etc and /sys, as dockerd reports them in {@code info}. */
final class HostFacts {
    private HostFacts() {}

    static String kernelVersion() {
        return read(Path.of("/proc/sys/kernel/osrelease"), System.getProperty("os.version"));
    }

    static String hostname() {
        return read(Path.of("/proc/sys/kernel/hostname"), "localhost");
    }

    /** PRETTY_NAME and VERSION_ID from os-release, e.g. "Debian GNU/Linux 12 (bookworm)" and "12". */
    static String[] operatingSystem() {
        String pretty = "Linux";
        String version = "";
        for (Path p : List.of(Path.of("/etc/os-release"), Path.of("/usr/lib/os-release"))) {
            try {
                for (String line : Files.readAllLines(p)) {
                    if (line.startsWith("PRETTY_NAME=")) {
                        pretty = unquote(line.substring(12));
                    } else if (line.startsWith("VERSION_ID=")) {
                        version = unquote(line.substring(11));
                    }
                }
                break;
            } catch (IOException e) {
                // try the next location
            }
        }
        return new String[] {pretty, version};
    }

    /** Total memory in bytes (MemTotal of /proc/meminfo). */
    static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    String kb = line.substring(9).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return Runtime.getRuntime().maxMemory();
    }

    /** uname -m style: x86_64, aarch64 (what {@code docker info} shows as Architecture). */
    static String machine() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
    }

    /** GOARCH style: amd64, arm64 (what {@code docker version} shows as Arch). */
    static String goArch() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }

    /**
     * "2" when /sys/fs/cgroup is the unified hierarchy (cgroup2fs), "1" otherwise (legacy or hybrid, where the
     * resource controllers are v1 hierarchies).
     */
    static String cgroupVersion() {
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1";
    }

    private static String read(Path p, String fallback) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return fallback;
        }
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
