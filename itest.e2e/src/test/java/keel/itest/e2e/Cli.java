package keel.itest.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the docker CLI or Keel's CLI against a daemon and captures what a user would see. */
final class Cli {
    record Result(int exit, String out, String err) {
        Result ok() {
            if (exit != 0) {
                throw new AssertionError("exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err);
            }
            return this;
        }
    }

    private Cli() {}

    static Result docker(KeelDaemon d, String... args) throws IOException, InterruptedException {
        return run(d, null, "docker", args);
    }

    static Result keel(KeelDaemon d, String... args) throws IOException, InterruptedException {
        return run(d, null, KeelDaemon.REPO.resolve("bin/keel").toString(), args);
    }

    static Result dockerWithInput(KeelDaemon d, Path input, String... args) throws IOException, InterruptedException {
        return run(d, input, "docker", args);
    }

    static Result keelWithInput(KeelDaemon d, Path input, String... args) throws IOException, InterruptedException {
        return run(d, input, KeelDaemon.REPO.resolve("bin/keel").toString(), args);
    }

    static Result run(KeelDaemon d, Path input, String program, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(program);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DOCKER_HOST", d.host());
        pb.environment().put("KEEL_HOST", d.host());
        // The docker CLI would otherwise read ~/.docker and might try a context or a credentials helper.
        pb.environment().put("DOCKER_CONFIG", d.root.resolve("docker-config").toString());
        pb.redirectInput(input == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                : ProcessBuilder.Redirect.from(input.toFile()));
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                new String(err.join(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
