package keel.network.bridge.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Kernel parameters under /proc/sys, as sysctl(8) writes them ({@code net.ipv4.ip_forward}). */
public final class ProcSysctl {

    private final Path root;

    public ProcSysctl(Path root) {
        this.root = root;
    }

    /** The value, or empty when the parameter does not exist (a module not loaded, an interface gone). */
    public Optional<String> read(String key) throws IOException {
        try {
            return Optional.of(Files.readString(path(key), StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Writes {@code value} unless it is there already; false when the parameter does not exist. */
    public boolean set(String key, String value) throws IOException {
        Optional<String> now = read(key);
        if (now.isEmpty()) {
            return false;
        }
        if (!now.get().equals(value)) {
            Files.writeString(path(key), value + "\n", StandardCharsets.US_ASCII);
        }
        return true;
    }

    private Path path(String key) {
        // Interface names may contain dots (sysctl(8) writes them as '/'): only the fixed parts are split.
        return root.resolve(key.replace('.', '/'));
    }

    /** The path of a per-interface IPv4 parameter: {@code net/ipv4/conf/IFACE/NAME}. */
    public Optional<String> readInterface(String iface, String name) throws IOException {
        try {
            return Optional.of(Files.readString(root.resolve("net/ipv4/conf").resolve(iface).resolve(name),
                    StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    public boolean setInterface(String iface, String name, String value) throws IOException {
        Path p = root.resolve("net/ipv4/conf").resolve(iface).resolve(name);
        Optional<String> now = readInterface(iface, name);
        if (now.isEmpty()) {
            return false;
        }
        if (!now.get().equals(value)) {
            Files.writeString(p, value + "\n", StandardCharsets.US_ASCII);
        }
        return true;
    }
}
