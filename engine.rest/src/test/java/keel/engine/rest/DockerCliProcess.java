package keel.engine.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real docker CLI against a test server, with nothing of the machine's own docker set-up in its way. */
final class DockerCliProcess {

    record Result(int exit, String out, String err) {
        /** Exit 0, and nothing on stderr that warns or reports an error (a field the CLI missed, say). */
        Result ok() {
            assertEquals(0, exit, "exit code; stderr: " + err + "\nstdout: " + out);
            assertFalse(err.contains("WARNING"), "stderr: " + err);
            assertFalse(err.toLowerCase().contains("error"), "stderr: " + err);
            return this;
        }
    }

    private DockerCliProcess() {}

    /** Drops the DOCKER_* variables that would point the CLI elsewhere, and keeps its config out of root's home. */
    static ProcessBuilder isolated(ProcessBuilder pb, Path dir) throws Exception {
        pb.directory(dir.toFile());
        Map<String, String> env = pb.environment();
        for (String v : List.of("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_API_VERSION", "DOCKER_TLS_VERIFY",
                "DOCKER_CERT_PATH")) {
            env.remove(v);
        }
        env.put("DOCKER_CONFIG", Files.createDirectories(dir.resolve("docker-config")).toString());
        return pb;
    }

    /** {@code docker -H host args...} with {@code env} added and {@code input} (or nothing) on its stdin. */
    static Result run(Path dir, String host, Map<String, String> env, String input, String... args)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", host));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = isolated(new ProcessBuilder(cmd), dir);
        pb.environment().putAll(env);
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        try (OutputStream stdin = p.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("docker " + String.join(" ", args) + " did not finish in 60 s; stdout: "
                    + Files.readString(out) + "; stderr: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
