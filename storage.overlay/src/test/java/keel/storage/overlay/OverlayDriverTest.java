package keel.storage.overlay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import keel.engine.api.storage.LayerArchiver;
import keel.engine.api.storage.LayerStore;
import keel.engine.archive.internal.TarLayerArchiver;
import keel.storage.overlay.internal.JnrOverlayKernel;
import keel.storage.overlay.internal.MountApi;
import keel.storage.overlay.internal.OverlayKernel;
import keel.storage.overlay.internal.OverlayLayerStore;
import keel.storage.tck.MountTable;
import keel.storage.tck.TarBuilder;

/** What overlay2 does beyond the conformance suite: mount options, both mount paths, recovery, support checks. */
class OverlayDriverTest {

    private static final OverlayKernel KERNEL = new JnrOverlayKernel();

    @TempDir
    Path temp;

    private final LayerArchiver archiver = new TarLayerArchiver();
    private final List<LayerStore> stores = new ArrayList<>();

    @AfterEach
    void cleanUp() throws IOException {
        for (LayerStore s : stores) {
            s.close();
        }
        for (Path p : MountTable.mountPointsUnder(temp)) {
            KERNEL.umount2(p.toString(), OverlayKernel.MNT_DETACH);
        }
        archiver.removeTree(temp.resolve("home"));
    }

    private OverlayLayerStore open(MountApi api) throws IOException {
        OverlayLayerStore s = (OverlayLayerStore) new OverlayDriver(archiver, KERNEL, api).open(temp.resolve("home"),
                Map.of());
        stores.add(s);
        return s;
    }

    private static ByteArrayInputStream tar(TarBuilder t) {
        return new ByteArrayInputStream(t.toBytes());
    }

    private static TarBuilder base() {
        TarBuilder t = new TarBuilder();
        t.dir("a", 0755);
        t.dir("a/b", 0755);
        t.file("a/b/file", 0644, "lower content\n");
        t.file("big", 0644, "x".repeat(100_000));
        return t;
    }

    @Test
    void usesTheNewMountApiFromLinux68() throws IOException {
        String[] v = System.getProperty("os.version").split("[.-]");
        boolean atLeast68 = Integer.parseInt(v[0]) > 6 || Integer.parseInt(v[0]) == 6 && Integer.parseInt(v[1]) >= 8;
        assertEquals(atLeast68, open(MountApi.AUTO).usesNewMountApi());
        assertFalse(open(MountApi.LEGACY).usesNewMountApi());
    }

    @ParameterizedTest
    @EnumSource(MountApi.class)
    void aContainerRenamingALowerDirectoryGetsExdevNotARedirect(MountApi api) throws IOException {
        OverlayLayerStore store = open(api);
        store.applyDiff("base", null, tar(base()));
        store.createReadWrite("rw", "base");
        Path m = store.mount("rw");
        try {
            // redirect_dir=off: rename(2) of a directory that lives in a lower layer fails with EXDEV (mv then
            // copies), so the upper directory never holds a redirect that a native diff would miss.
            assertThrows(AtomicMoveNotSupportedException.class,
                    () -> Files.move(m.resolve("a"), m.resolve("z"), StandardCopyOption.ATOMIC_MOVE));
            // metacopy=off: a chmod copies the whole file up, so the diff holds its content.
            Files.setAttribute(m.resolve("big"), "unix:mode", 0600);
            assertEquals(100_000, Files.size(temp.resolve("home/rw/diff/big")));
            // mountinfo shows only options that differ from the kernel's defaults (OverlayMounterTest checks that
            // all three are passed).
            String options = superOptions(m);
            assertFalse(options.contains("redirect_dir=on"), options);
            assertFalse(options.contains("metacopy=on"), options);
            assertFalse(options.contains("index=on"), options);
        } finally {
            store.unmount("rw");
        }
    }

    @Test
    void mount2UsesLinkPathsUpToDockersDepthAndNumberedLinksBeyond() throws IOException {
        OverlayLayerStore store = open(MountApi.LEGACY);
        String parent = null;
        for (int i = 0; i < 150; i++) {
            TarBuilder t = new TarBuilder();
            t.file("f" + i, 0644, i + "\n");
            String id = id(i);
            store.applyDiff(id, parent, tar(t));
            parent = id;
        }
        // 128 layers (Docker's limit) fit one page as l/<short> paths relative to the home.
        Path m128 = store.mount(id(127));
        try {
            assertTrue(superOptions(m128).contains("lowerdir=l/"), superOptions(m128));
            assertEquals("127\n", Files.readString(m128.resolve("f127")));
        } finally {
            store.unmount(id(127));
        }
        // 150 do not: they are mounted through a scratch directory of numbered links, removed afterwards.
        Path m150 = store.mount(id(149));
        try {
            assertTrue(superOptions(m150).contains("lowerdir=0:1:2:"), superOptions(m150));
            assertEquals("0\n", Files.readString(m150.resolve("f0")));
            assertEquals("149\n", Files.readString(m150.resolve("f149")));
            try (Stream<Path> s = Files.list(temp.resolve("home/staging"))) {
                assertEquals(List.of(), s.toList(), "the scratch links are gone");
            }
        } finally {
            store.unmount(id(149));
        }
    }

    @Test
    void openTakesOverLayerMountsAndClearsDebris() throws IOException {
        Path home = temp.resolve("home");
        OverlayLayerStore first = open(MountApi.AUTO);
        first.applyDiff("base", null, tar(base()));
        TarBuilder second = new TarBuilder();
        second.file("second", 0644, "2\n");
        first.applyDiff("top", "base", tar(second));
        first.createReadWrite("rw", "top");
        // A container's root and an image layer mounted when the daemon stopped: closing leaves them mounted.
        first.mount("rw");
        first.mount("top");
        first.close();
        stores.remove(first);

        // What a killed daemon leaves: its mounts, a layer being built, a half layer, a dangling and a missing link.
        String shortTop = Files.readString(home.resolve("top/link")).trim();
        assertEquals(Path.of("../top/diff"), Files.readSymbolicLink(home.resolve("l/" + shortTop)));
        assertEquals("l/" + Files.readString(home.resolve("base/link")).trim(),
                Files.readString(home.resolve("top/lower")).trim());
        Files.createDirectories(home.resolve("staging/half-built/diff"));
        Files.createDirectories(home.resolve("killed-mid-create/diff"));
        KERNEL.mount(home.resolve("base/diff").toString(), home.resolve("staging/half-built/diff").toString(), null,
                OverlayKernel.MS_BIND, null);
        Files.createSymbolicLink(home.resolve("l/AAAAAAAAAAAAAAAAAAAAAAAAAA"), Path.of("../gone/diff"));
        Files.delete(home.resolve("l/" + shortTop));
        assertEquals(3, MountTable.mountPointsUnder(home).size());

        OverlayLayerStore second2 = open(MountApi.AUTO);
        // The merged trees of whole layers may be the roots of containers that kept running: taken over as
        // mounted once. The mount in the staging area is stale and gone.
        assertEquals(Set.of(home.resolve("rw/merged"), home.resolve("top/merged")),
                Set.copyOf(MountTable.mountPointsUnder(home)));
        second2.unmount("top");
        assertEquals(List.of(home.resolve("rw/merged")), MountTable.mountPointsUnder(home));
        assertEquals(Set.of("base", "top", "rw"), second2.ids());
        assertFalse(Files.exists(home.resolve("killed-mid-create")));
        assertFalse(Files.exists(home.resolve("l/AAAAAAAAAAAAAAAAAAAAAAAAAA"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(Path.of("../top/diff"), Files.readSymbolicLink(home.resolve("l/" + shortTop)));
        try (Stream<Path> s = Files.list(home.resolve("staging"))) {
            assertEquals(List.of(), s.toList());
        }
        Path m = second2.mount("rw");
        assertEquals("2\n", Files.readString(m.resolve("second")));
        assertEquals("lower content\n", Files.readString(m.resolve("a/b/file")));
        second2.unmount("rw");
        second2.unmount("rw");
        assertEquals(List.of(), MountTable.mountPointsUnder(home), "the adopted mount goes with its last user");
    }

    @ParameterizedTest
    @EnumSource(MountApi.class)
    void anEphemeralLayerMountsVolatileAndMountsAgainAfterACleanUnmount(MountApi api) throws IOException {
        OverlayLayerStore store = open(api);
        store.applyDiff("base", null, tar(base()));
        store.createEphemeral("rw", "base");
        store.createReadWrite("durable", "base");
        Path m = store.mount("rw");
        try {
            // no sync at unmount, fsync(2) ignored in the container: the layer is thrown away after it
            assertTrue(superOptions(m).contains("volatile"), superOptions(m));
            Files.writeString(m.resolve("new"), "kept until removed\n");
        } finally {
            store.unmount("rw");
        }
        // The volatile mount left work/work/incompat/volatile (so that a mount after a crash fails); a clean
        // unmount by this store is no crash, and the next mount clears it.
        assertTrue(Files.isDirectory(temp.resolve("home/rw/work/work/incompat/volatile")));
        m = store.mount("rw");
        try {
            assertEquals("kept until removed\n", Files.readString(m.resolve("new")));
            assertEquals("lower content\n", Files.readString(m.resolve("a/b/file")));
        } finally {
            store.unmount("rw");
        }
        Path d = store.mount("durable");
        try {
            assertFalse(superOptions(d).contains("volatile"), superOptions(d));
        } finally {
            store.unmount("durable");
        }
        store.remove("rw");
        assertFalse(store.exists("rw"));
    }

    @Test
    void openRemovesAnEphemeralLayerThatAPowerCutLeftHalfWritten() throws IOException {
        Path home = temp.resolve("home");
        OverlayLayerStore first = open(MountApi.AUTO);
        first.applyDiff("base", null, tar(base()));
        first.createEphemeral("emptied-lower", "base");
        first.createEphemeral("zeroed-lower", "base");
        first.createEphemeral("whole", "base");
        first.createReadWrite("durable", "base");
        first.close();
        stores.remove(first);
        assertFalse(Files.exists(home.resolve("whole/link")), "a read-write layer has no short name");

        // An ephemeral layer is written without flushes: after a power cut its files may come back empty, or
        // (depending on the filesystem) their size without their content.
        Files.write(home.resolve("emptied-lower/lower"), new byte[0]);
        Files.write(home.resolve("zeroed-lower/lower"), new byte[Files.readString(home.resolve("whole/lower")).length()]);

        OverlayLayerStore second = open(MountApi.AUTO);
        assertEquals(Set.of("base", "whole", "durable"), second.ids());
        Path m = second.mount("whole");
        try {
            assertEquals("lower content\n", Files.readString(m.resolve("a/b/file")));
        } finally {
            second.unmount("whole");
        }
    }

    @Test
    void removeTakesTheLayerOutAtOnceAndDeletesItsTreeInTheBackground() throws IOException {
        Path home = temp.resolve("home");
        OverlayLayerStore store = open(MountApi.AUTO);
        store.applyDiff("base", null, tar(base()));
        store.createReadWrite("rw", "base");
        Path m = store.mount("rw");
        for (int i = 0; i < 200; i++) {
            Files.writeString(m.resolve("f" + i), "x");
        }
        store.unmount("rw");
        store.remove("rw");
        assertFalse(store.exists("rw"));
        assertFalse(Files.exists(home.resolve("rw")));
        store.close(); // waits for the deletions under way
        stores.remove(store);
        try (Stream<Path> s = Files.list(home.resolve("staging"))) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void notSupportedWhenHomeIsOnOverlayfs() throws IOException {
        Path lower = Files.createDirectories(temp.resolve("ovl/lower"));
        Path upper = Files.createDirectories(temp.resolve("ovl/upper"));
        Path work = Files.createDirectories(temp.resolve("ovl/work"));
        Path merged = Files.createDirectories(temp.resolve("ovl/merged"));
        KERNEL.mount("overlay", merged.toString(), "overlay", 0,
                "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work);
        try {
            Path home = merged.resolve("var/lib/keel/overlay2");
            Optional<String> reason = new OverlayDriver(archiver).unsupportedReason(home);
            assertEquals(Optional.of("overlay2 is not supported here: " + home + " is on overlayfs, which overlayfs"
                    + " cannot use for its layers; put the data root on a real filesystem (or a volume, when running"
                    + " in a container)"), reason);
            assertFalse(Files.exists(merged.resolve("var")), "the check leaves no directories behind");
        } finally {
            KERNEL.umount2(merged.toString(), OverlayKernel.MNT_DETACH);
        }
    }

    @Test
    void supportedOnThisHostAndTheCheckLeavesNothingBehind() {
        Path home = temp.resolve("data/overlay2");
        assertEquals(Optional.empty(), new OverlayDriver(archiver).unsupportedReason(home));
        assertFalse(Files.exists(temp.resolve("data")));
    }

    @Test
    void statusIsDockers() throws IOException {
        OverlayLayerStore store = open(MountApi.AUTO);
        Map<String, String> status = new java.util.LinkedHashMap<>();
        store.status().forEach(row -> status.put(row[0], row[1]));
        assertEquals(List.of("Backing Filesystem", "Supports d_type", "Using metacopy", "Native Overlay Diff",
                "userxattr"), List.copyOf(status.keySet()));
        String type = Files.getFileStore(temp).type();
        assertEquals(type.startsWith("ext") ? "extfs" : type, status.get("Backing Filesystem"));
        assertEquals("true", status.get("Supports d_type"));
        assertEquals("true", status.get("Native Overlay Diff"));
    }

    @Test
    void baseImageLayerMountsReadOnly() throws IOException {
        OverlayLayerStore store = open(MountApi.AUTO);
        store.applyDiff("base", null, tar(base()));
        Path m = store.mount("base");
        try {
            assertArrayEquals("lower content\n".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(m.resolve("a/b/file")));
            assertThrows(IOException.class, () -> Files.writeString(m.resolve("a/new"), "no"));
        } finally {
            store.unmount("base");
        }
    }

    @Test
    void unknownOptionsAreRefused() {
        assertThrows(RuntimeException.class,
                () -> new OverlayDriver(archiver).open(temp.resolve("home"), Map.of("size", "10G")));
    }

    private static String id(int i) {
        return String.format("%064x", i + 1);
    }

    /** The superblock options mountinfo shows for the mount at {@code mountPoint}. */
    private static String superOptions(Path mountPoint) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f[4].equals(mountPoint.toString())) {
                String[] after = line.substring(line.indexOf(" - ") + 3).split(" ");
                return after[2];
            }
        }
        throw new AssertionError(mountPoint + " is not mounted");
    }
}
