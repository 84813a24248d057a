package keel.engine.rest;

import java.util.List;
import java.util.Map;

import keel.engine.api.system.SystemInfo;
import keel.engine.api.system.SystemService;
import keel.engine.api.system.VersionInfo;

/** A SystemService with fixed, plausible facts. */
final class FakeSystemService implements SystemService {
    static final String VERSION = "0.1.0-test";

    volatile List<String> warnings = null;
    volatile List<String> securityOptions = List.of("name=seccomp,profile=builtin", "cgroupns");

    @Override
    public VersionInfo version() {
        return new VersionInfo(VERSION, "abc1234", "2026-11-23T10:00:00.000000000+00:00", "linux", "amd64",
                "6.1.0-test", "17.0.15");
    }

    @Override
    public SystemInfo info() {
        return new SystemInfo("KEEL:TEST:ID", "testhost", 3, 1, 0, 2, 2, "vfs",
                List.<String[]>of(new String[] {"Backing Filesystem", "extfs"}), "/var/lib/keel",
                Map.of("Storage", List.of("vfs"), "Log", List.of("json-file"), "Runtime", List.of("keel-native")),
                "json-file", "systemd", "2", "6.1.0-test", "Debian GNU/Linux 12 (bookworm)", "12", "linux",
                "x86_64", 2, 24L * 1024 * 1024 * 1024, VERSION, false, List.of("env=test"), false, "",
                securityOptions, warnings);
    }
}
