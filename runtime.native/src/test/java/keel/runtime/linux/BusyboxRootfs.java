package keel.runtime.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A root filesystem made from Debian's static busybox (package busybox-static): the binary, a symlink per applet
 * in /bin, an /etc/passwd and /etc/group with root, a user (1000) and an extra group, and the usual empty
 * directories.
 */
final class BusyboxRootfs {

    static final Path BUSYBOX = Path.of("/usr/bin/busybox");

    private BusyboxRootfs() {}

    static Path create(Path dir) throws IOException, InterruptedException {
        Path root = Files.createDirectories(dir);
        for (String d : List.of("bin", "etc", "proc", "sys", "dev", "tmp", "root", "home/user", "var", "run")) {
            Files.createDirectories(root.resolve(d));
        }
        new ProcessBuilder("chmod", "1777", root.resolve("tmp").toString()).inheritIO().start().waitFor();
        Files.copy(BUSYBOX, root.resolve("bin/busybox"), StandardCopyOption.REPLACE_EXISTING);
        Process p = new ProcessBuilder(BUSYBOX.toString(), "--list").redirectErrorStream(true).start();
        String applets = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("busybox --list failed: " + applets);
        }
        for (String applet : applets.split("\n")) {
            applet = applet.trim();
            if (applet.isEmpty() || applet.equals("busybox") || applet.contains("/")) {
                continue;
            }
            Path link = root.resolve("bin").resolve(applet);
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, Path.of("busybox")); // relative: JUnit cleans it up quietly
            }
        }
        Files.writeString(root.resolve("etc/passwd"), String.join("\n",
                "root:x:0:0:root:/root:/bin/sh",
                "user:x:1000:1000:user:/home/user:/bin/sh",
                "nobody:x:65534:65534:nobody:/nonexistent:/bin/false", ""));
        Files.writeString(root.resolve("etc/group"), String.join("\n",
                "root:x:0:", "tty:x:5:", "user:x:1000:", "extra:x:1001:user", "nogroup:x:65534:", ""));
        Files.writeString(root.resolve("etc/hostname"), "image\n");
        new ProcessBuilder("chown", "1000:1000", root.resolve("home/user").toString()).inheritIO().start()
                .waitFor();
        return root;
    }
}
