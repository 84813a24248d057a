package keel.itest.e2e;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real keeld started through bin/keeld with its own data root, exec root, socket and pidfile under a private
 * directory, so tests never touch /var/lib/keel or /run/keel. Closing it stops the daemon (SIGTERM, then
 * SIGKILL), unmounts whatever it left mounted under its directory, and deletes the directory. Unless a test names
 * its own, the daemon's default bridge is a {@link TestBridge} and its cgroup parent a {@link TestCgroups} one,
 * both removed on close.
 */
final class KeelDaemon implements AutoCloseable {
    static final Path REPO = Path.of(System.getProperty("keel.repo", "..")).toAbsolutePath().normalize();

    final Path root;
    final Path dataRoot;
    final Path execRoot;
    final Path socket;
    final Path pidFile;
    final Path log;
    private final List<String> flags;
    /** The default bridge this fixture chose (and removes), or null when the test passed its own bridge flags. */
    private final String bridge;
    /** The cgroup parent this fixture chose (and removes), or null when the test passed its own. */
    private final String cgroupParent;
    private Process process;
    private long startupMillis;

    private KeelDaemon(Path root, List<String> flags) {
        this.root = root;
        boolean ownBridge = flags.stream().anyMatch(f -> f.equals("-b") || f.startsWith("--bridge")
                || f.startsWith("--bip"));
        this.bridge = ownBridge ? null : TestBridge.newName();
        this.cgroupParent = flags.stream().anyMatch(f -> f.startsWith("--cgroup-parent")) ? null
                : TestCgroups.newParent();
        List<String> all = new ArrayList<>();
        if (bridge != null) {
            all.addAll(TestBridge.flags(bridge));
        }
        if (cgroupParent != null) {
            all.addAll(List.of("--cgroup-parent", cgroupParent));
        }
        all.addAll(flags);
        flags = all;
        this.dataRoot = root.resolve("data");
        this.execRoot = root.resolve("exec");
        this.socket = root.resolve("keel.sock");
        this.pidFile = root.resolve("keel.pid");
        this.log = root.resolve("keeld.log");
        this.flags = flags;
    }

    /** Starts a daemon in a fresh directory and waits until it answers /_ping. */
    static KeelDaemon start(String... flags) throws IOException, InterruptedException {
        Path root = Files.createTempDirectory(Path.of("/tmp"), "keel-e2e-");
        KeelDaemon d = new KeelDaemon(root, List.of(flags));
        d.launch();
        return d;
    }

    /** Starts the daemon again on the same directories (after {@link #stop} or {@link #kill9}). */
    void restart() throws IOException, InterruptedException {
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(REPO.resolve("bin/keeld").toString(), "-H", host(),
                "--data-root", dataRoot.toString(), "--exec-root", execRoot.toString(), "--pidfile",
                pidFile.toString()));
        cmd.addAll(flags);
        long t0 = System.nanoTime();
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
        while (!ping()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("keeld exited with " + process.exitValue() + ":\n" + logText());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("keeld did not answer /_ping within 30 s:\n" + logText());
            }
            Thread.sleep(10);
        }
        startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    String host() {
        return "unix://" + socket;
    }

    /** Milliseconds from starting bin/keeld to the first answered /_ping. */
    long startupMillis() {
        return startupMillis;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    boolean ping() {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.1\r\nHost: keel\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(512);
            ch.read(buf);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM and wait; returns the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            throw new IllegalStateException("keeld ignored SIGTERM for 30 s:\n" + logText());
        }
        return process.exitValue();
    }

    /** SIGKILL: the daemon gets no chance to clean up, as in a crash. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        if (alive()) {
            try {
                stop();
            } catch (IllegalStateException e) {
                // killed already
            }
        }
        if (cgroupParent != null) {
            TestCgroups.remove(cgroupParent); // the containers a failed test left running go first
        }
        Mounts.unmountUnder(root);
        if (bridge != null) {
            TestBridge.remove(bridge);
        }
        // Keep the daemon's log with the test reports: it is what explains a failure.
        try {
            Path logs = Files.createDirectories(Path.of("target", "keeld-logs"));
            Files.copy(log, logs.resolve(root.getFileName() + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // no log to keep
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a leftover in /tmp is better than a failed test teardown
                }
            });
        }
    }
}
