package keel.runtime.linux.internal.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * Reading and writing cgroup interface files, shared by both versions. Files are opened without O_CREAT: cgroupfs
 * makes its files itself, and a missing one means the controller is not there.
 */
public final class CgroupFiles {

    private CgroupFiles() {}

    public static void write(Path dir, String file, String value) throws IOException {
        Path p = dir.resolve(file);
        try {
            Files.write(p, value.getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new IOException("failed to write \"" + value + "\" to \"" + p + "\": no such file (controller"
                    + " not available)", e);
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            // The JDK prints "<path>: Invalid argument"; keep the errno text, lower-cased as runc prints it.
            int colon = reason.lastIndexOf(": ");
            if (colon >= 0) {
                reason = reason.substring(colon + 2);
            }
            throw new IOException("failed to write \"" + value + "\" to \"" + p + "\": " + reason.toLowerCase(), e);
        }
    }

    /**
     * {@link #write(Path, String, String)} through the kernel binding: open(2), write(2), close(2) and nothing
     * else. A container start writes some thirty of these (device rules, tasks); the JDK's file API costs several
     * times the system calls for each.
     */
    public static void write(LinuxKernel k, Path dir, String file, String value) throws IOException {
        writeEach(k, dir, file, List.of(value));
    }

    /**
     * Writes each value with its own write(2) on one open file: cgroupfs parses every write on its own (one device
     * rule per write of devices.allow), so this is several writes of the file in one open.
     */
    public static void writeEach(LinuxKernel k, Path dir, String file, List<String> values) throws IOException {
        Path p = dir.resolve(file);
        int fd;
        try {
            fd = k.open(p.toString(), LinuxKernel.O_WRONLY | LinuxKernel.O_CLOEXEC, 0);
        } catch (ErrnoException e) {
            if (e.errno() == LinuxKernel.ENOENT) {
                throw new IOException("failed to write \"" + values.get(0) + "\" to \"" + p
                        + "\": no such file (controller not available)", e);
            }
            throw new IOException("failed to write \"" + values.get(0) + "\" to \"" + p + "\": "
                    + e.goStyleReason(), e);
        }
        try {
            for (String value : values) {
                byte[] b = value.getBytes(StandardCharsets.UTF_8);
                try {
                    k.write(fd, b, 0, b.length);
                } catch (ErrnoException e) {
                    throw new IOException("failed to write \"" + value + "\" to \"" + p + "\": "
                            + e.goStyleReason(), e);
                }
            }
        } finally {
            k.close(fd);
        }
    }

    public static String read(Path dir, String file) throws IOException {
        return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
    }

    public static boolean exists(Path dir, String file) {
        return Files.exists(dir.resolve(file));
    }

    /** The numbers of cgroup.procs (or tasks). */
    public static List<Long> readPids(Path dir, String file) throws IOException {
        List<Long> out = new ArrayList<>();
        for (String line : read(dir, file).split("\n")) {
            if (!line.isBlank()) {
                out.add(Long.parseLong(line.trim()));
            }
        }
        return out;
    }

    /** The value of {@code key} in a flat-keyed file (memory.events, memory.oom_control), or 0. */
    public static long keyed(Path dir, String file, String key) throws IOException {
        for (String line : read(dir, file).split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2 && kv[0].equals(key)) {
                return Long.parseLong(kv[1]);
            }
        }
        return 0;
    }

    /**
     * rmdir(2) with patience: right after the last task exits the kernel may still hold the cgroup (EBUSY) for
     * a moment while it finishes tearing the task down.
     */
    public static boolean removeWithRetries(LinuxKernel kernel, Path dir, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        long sleepMillis = 1;
        while (true) {
            try {
                kernel.rmdirIfExists(dir.toString());
                return true; // removed, or gone already
            } catch (ErrnoException e) {
                if (e.errno() != LinuxKernel.EBUSY && e.errno() != LinuxKernel.ENOTEMPTY
                        || System.nanoTime() > deadline) {
                    return false;
                }
            }
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return false;
            }
            sleepMillis = Math.min(sleepMillis * 2, 50);
        }
    }
}
