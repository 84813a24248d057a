package keel.network.bridge.internal.firewall;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the iptables commands as child processes. They are looked up once: {@code iptables} on PATH (or in the
 * sbin directories, which a daemon's PATH may lack), and {@code iptables-save}/{@code iptables-restore} next to
 * it, so all three use the same backend. {@code -w} waits for the xtables lock other tools hold.
 */
public final class ProcessIptables implements Iptables {

    private static final long TIMEOUT_SECONDS = 60;

    private final Path iptables;
    private final Path save;
    private final Path restore;

    private ProcessIptables(Path dir) {
        this.iptables = dir.resolve("iptables");
        this.save = dir.resolve("iptables-save");
        this.restore = dir.resolve("iptables-restore");
    }

    /** Finds iptables; fails with a clear message when it is not installed. */
    public static ProcessIptables locate() throws IOException {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(d, "iptables");
            if (Files.isExecutable(candidate) && Files.isExecutable(Path.of(d, "iptables-restore"))) {
                return new ProcessIptables(Path.of(d));
            }
        }
        throw new IOException("iptables not found (install iptables, or set iptables=false in the bridge driver's "
                + "configuration)");
    }

    @Override
    public Result run(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(iptables.toString());
        cmd.add("-w");
        cmd.addAll(args);
        return exec(cmd, null);
    }

    @Override
    public String save() throws IOException {
        Result r = exec(List.of(save.toString()), null);
        if (!r.ok()) {
            throw new IOException("iptables-save failed: " + r.output().trim());
        }
        return r.output();
    }

    @Override
    public void restore(String input) throws IOException {
        Result r = exec(List.of(restore.toString(), "-w", "--noflush"), input);
        if (!r.ok()) {
            throw new IOException("iptables-restore failed: " + r.output().trim() + "\ninput:\n" + input);
        }
    }

    private static Result exec(List<String> cmd, String input) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            if (input != null) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out;
        try (InputStream o = p.getInputStream()) {
            out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + cmd.get(0), e);
        }
        return new Result(p.exitValue(), out);
    }
}
