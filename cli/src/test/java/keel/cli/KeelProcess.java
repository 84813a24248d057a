package keel.cli;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line that runs keel in a JVM of its own (for real signals and a real terminal). */
final class KeelProcess {

    private KeelProcess() {
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** keel's classes and picocli, wherever the build put them. */
    static String classpath() {
        return location(Keel.class) + File.pathSeparator + location(picocli.CommandLine.class);
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xshare:auto", "-cp", classpath(), "keel.cli.Keel"));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
