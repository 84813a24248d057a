package keel.storage.overlay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How overlays are mounted, against a kernel that only records the calls (no root needed). */
class OverlayMounterTest {

    @TempDir
    Path home;
    private Path staging;
    private final RecordingKernel kernel = new RecordingKernel();

    @BeforeEach
    void staging() throws IOException {
        staging = Files.createDirectory(home.resolve("staging"));
    }

    @Test
    void mount2WithinOnePageNamesLayersRelativeToHome() throws IOException {
        try (OverlayMounter mounter = new OverlayMounter(kernel, home, staging, MountApi.LEGACY)) {
            mounter.mountOverlay(lowers(128), "rw/diff", "rw/work", Path.of("/target"), false);
        }
        assertEquals(1, kernel.mounts.size());
        Mount2 m = kernel.mounts.get(0);
        assertEquals(home.toString(), m.cwd, "relative paths are resolved in the home");
        assertTrue(m.data.startsWith("lowerdir=l/" + "L".repeat(23) + "000:l/"), m.data);
        assertTrue(m.data.contains(",upperdir=rw/diff,workdir=rw/work"), m.data);
        assertTrue(m.data.endsWith(disabledOptions(",", "=off")), m.data);
        assertTrue(m.data.length() < 4096, "Docker's 128 layers fit one page");
        assertEquals(0, m.flags);
    }

    @Test
    void mount2BeyondOnePageGoesThroughNumberedLinks() throws IOException {
        try (OverlayMounter mounter = new OverlayMounter(kernel, home, staging, MountApi.LEGACY)) {
            mounter.mountOverlay(lowers(150), null, null, Path.of("/target"), true);
        }
        Mount2 m = kernel.mounts.get(0);
        Path scratch = Path.of(m.cwd);
        assertEquals(staging, scratch.getParent());
        StringBuilder numbers = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            numbers.append(i == 0 ? "" : ":").append(i);
        }
        assertEquals("lowerdir=" + numbers + disabledOptions(",", "=off"), m.data);
        assertEquals(Path.of("../../l/" + "L".repeat(23) + "149"), m.linksAtMount.get("149"));
        assertEquals(150, m.linksAtMount.size());
        assertEquals(OverlayKernel.MS_RDONLY, m.flags);
        try (Stream<Path> left = Files.list(staging)) {
            assertEquals(List.of(), left.toList(), "the scratch directory is removed after the mount");
        }
    }

    @Test
    void newMountApiPassesOneLowerdirPlusPerLayer() throws IOException {
        kernel.lowerdirPlus = true;
        try (OverlayMounter mounter = new OverlayMounter(kernel, home, staging, MountApi.AUTO)) {
            assertTrue(mounter.usesNewApi());
            kernel.fsconfigs.clear();
            mounter.mountOverlay(lowers(300), "rw/diff", "rw/work", Path.of("/target"), false);
        }
        List<String> expected = new ArrayList<>();
        for (String lower : lowers(300)) {
            expected.add("lowerdir+=" + lower);
        }
        expected.add("upperdir=rw/diff");
        expected.add("workdir=rw/work");
        for (String option : disabled()) {
            expected.add(option + "=off");
        }
        expected.add("create");
        assertEquals(expected, kernel.fsconfigs);
        assertEquals(List.of(home.toString()), kernel.fsconfigCwds.stream().distinct().toList());
        assertEquals(List.of("/target"), kernel.moveMounts);
        assertEquals(List.of(), kernel.mounts);
    }

    @Test
    void kernelsWithoutLowerdirPlusGetMount2() throws IOException {
        kernel.lowerdirPlus = false;
        try (OverlayMounter mounter = new OverlayMounter(kernel, home, staging, MountApi.AUTO)) {
            assertFalse(mounter.usesNewApi());
            mounter.mountOverlay(lowers(2), null, null, Path.of("/target"), true);
        }
        assertEquals(1, kernel.mounts.size());
    }

    @Test
    void moreLayersThanTheKernelStacksAreRefused() throws IOException {
        try (OverlayMounter mounter = new OverlayMounter(kernel, home, staging, MountApi.LEGACY)) {
            assertThrows(IOException.class,
                    () -> mounter.mountOverlay(lowers(501), null, null, Path.of("/target"), true));
        }
    }

    /** {@code n} lower paths as the store writes them: {@code l/} and a 26-character name. */
    private static List<String> lowers(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("l/" + "L".repeat(23) + String.format("%03d", i));
        }
        return out;
    }

    private static List<String> disabled() {
        List<String> out = new ArrayList<>();
        for (String option : List.of("index", "redirect_dir", "metacopy")) {
            if (Files.exists(Path.of("/sys/module/overlay/parameters", option))) {
                out.add(option);
            }
        }
        return out;
    }

    private static String disabledOptions(String separator, String suffix) {
        StringBuilder out = new StringBuilder();
        for (String option : disabled()) {
            out.append(separator).append(option).append(suffix);
        }
        return out.toString();
    }

    record Mount2(String cwd, String data, long flags, Map<String, Path> linksAtMount) {
    }

    /** Records mount calls and the working directory they were made in; touches nothing. */
    static final class RecordingKernel implements OverlayKernel {
        final List<Mount2> mounts = Collections.synchronizedList(new ArrayList<>());
        final List<String> fsconfigs = Collections.synchronizedList(new ArrayList<>());
        final List<String> fsconfigCwds = Collections.synchronizedList(new ArrayList<>());
        final List<String> moveMounts = Collections.synchronizedList(new ArrayList<>());
        volatile boolean lowerdirPlus;
        private volatile String cwd = "/";

        @Override
        public void mount(String source, String target, String fstype, long flags, String data) {
            Map<String, Path> links = new java.util.TreeMap<>();
            try (Stream<Path> s = Files.list(Path.of(cwd))) {
                for (Path p : s.toList()) {
                    if (Files.isSymbolicLink(p)) {
                        links.put(p.getFileName().toString(), Files.readSymbolicLink(p));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            mounts.add(new Mount2(cwd, data, flags, links));
        }

        @Override
        public void umount2(String target, int flags) {
        }

        @Override
        public int fsopen(String fsname, int flags) {
            return 42;
        }

        @Override
        public void fsconfig(int fd, int cmd, String key, String value, int aux) throws ErrnoException {
            if ("lowerdir+".equals(key) && !lowerdirPlus) {
                throw new ErrnoException("fsconfig", ErrnoException.EINVAL, "Invalid argument");
            }
            fsconfigs.add(cmd == FSCONFIG_CMD_CREATE ? "create" : key + "=" + value);
            fsconfigCwds.add(cwd);
        }

        @Override
        public int fsmount(int fd, int flags, int attrFlags) {
            return 43;
        }

        @Override
        public void moveMount(int fromDirfd, String fromPath, int toDirfd, String toPath, int flags) {
            moveMounts.add(toPath);
        }

        @Override
        public String fsContextMessages(int fd) {
            return "";
        }

        @Override
        public void close(int fd) {
        }

        @Override
        public long statfsType(String path) {
            return 0xEF53;
        }

        @Override
        public Map<String, Integer> direntTypes(String dir) {
            return Map.of();
        }

        @Override
        public void unshare(int flags) {
        }

        @Override
        public void chdir(String path) {
            cwd = path;
        }

        @Override
        public void syncfs(String path) {
        }

        @Override
        public int pageSize() {
            return 4096;
        }
    }
}
