package keel.runtime.linux.internal.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * runc sets HOME, when the environment lacks it, to the user's directory in the container's /etc/passwd, or "/".
 * Read from inside the container (the caller has pivoted); only a regular file of sane size is read, so an image
 * whose /etc/passwd is a FIFO cannot hang the start.
 */
public final class HomeDirectory {

    private static final long MAX_PASSWD = 4L << 20;

    private HomeDirectory() {}

    public static List<String> withHome(List<String> env, long uid, LinuxKernel k) {
        for (String e : env) {
            if (e.startsWith("HOME=")) {
                return env;
            }
        }
        String home = "/";
        try {
            LinuxKernel.FileStat st = k.stat("/etc/passwd", true);
            if (st.isRegularFile() && st.size() < MAX_PASSWD) {
                for (String line : Files.readString(Path.of("/etc/passwd"), StandardCharsets.UTF_8).split("\n")) {
                    String[] f = line.split(":", -1);
                    if (f.length >= 6 && f[2].equals(Long.toString(uid)) && !f[5].isEmpty()) {
                        home = f[5];
                        break;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no passwd file: "/"
        }
        List<String> out = new java.util.ArrayList<>(env);
        out.add("HOME=" + home);
        return out;
    }
}
