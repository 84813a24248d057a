package keel.engine.core.internal.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.charset.StandardCharsets;

/**
 * The daemon's PID file, as dockerd keeps it: refuses to start when the file names a process that still runs
 * (two daemons on one data root would corrupt it), written atomically, removed on a clean stop.
 */
final class PidFile {
    private final Path path;
    private final long pid;

    private PidFile(Path path, long pid) {
        this.path = path;
        this.pid = pid;
    }

    static PidFile create(Path path) throws DaemonOptions.InvalidOptionsException, IOException {
        long self = ProcessHandle.current().pid();
        if (Files.exists(path)) {
            String content = Files.readString(path, StandardCharsets.US_ASCII).trim();
            try {
                long other = Long.parseLong(content);
                if (other != self && ProcessHandle.of(other).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new DaemonOptions.InvalidOptionsException("pid file found, ensure keeld is not running or "
                            + "delete " + path + ": process with PID " + other + " is still running");
                }
            } catch (NumberFormatException e) {
                // A garbled file is stale by definition: overwrite it.
            }
        }
        Files.createDirectories(path.toAbsolutePath().getParent());
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        Files.writeString(tmp, self + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new PidFile(path, self);
    }

    void remove() {
        try {
            String content = Files.readString(path, StandardCharsets.US_ASCII).trim();
            if (content.equals(Long.toString(pid))) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Gone already, or unreadable: nothing of ours to remove.
        }
    }
}
