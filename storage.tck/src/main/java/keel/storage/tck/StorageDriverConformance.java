package keel.storage.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.storage.LayerArchiver;
import keel.engine.api.storage.LayerStore;
import keel.engine.api.storage.StorageDriver;
import keel.engine.api.storage.WhiteoutFormat;

/**
 * The conformance suite every storage driver passes, Keel's own and vendors'. A driver's test extends this class and
 * supplies the driver and the engine's {@link LayerArchiver}:
 *
 * <pre>
 * class VfsConformanceTest extends StorageDriverConformance {
 *     protected StorageDriver newDriver() { return new VfsDriver(archiver()); }
 *     protected LayerArchiver archiver() { return new TarLayerArchiver(); }
 * }
 * </pre>
 *
 * <p>Every test feeds the store real OCI layer tars and checks two things a container engine relies on: what the
 * mounted tree shows a process, and what {@code writeDiff} hands back (a diff that, applied again, gives the same
 * tree). The tests need root, as a driver does (ownership, device nodes, {@code security.*} xattrs, mounts); they
 * fail rather than skip without it. Every mount a test makes is released afterwards, and the suite fails a test
 * whose driver leaves anything mounted under its home.
 */
public abstract class StorageDriverConformance {

    /** {@code cap_net_raw+ep} as {@code setcap} writes it: revision 2, effective, permitted bit 13. */
    protected static final byte[] CAP_NET_RAW = HexFormat.of().parseHex("0100000200200000000000000000000000000000");

    protected static final long BASE_MTIME = 1_700_000_000L;
    protected static final long LAYER2_MTIME = 1_700_100_000L;

    private static final String LONG_DIR = "long/" + "d".repeat(200);
    private static final String LONG_FILE = LONG_DIR + "/" + "f".repeat(240);

    @TempDir
    protected Path temp;

    /** The store's home; not created beforehand, since {@code open} must create it. */
    protected Path home;
    protected StorageDriver driver;
    protected LayerStore store;

    private final Map<LayerStore, Map<String, Integer>> held = new IdentityHashMap<>();

    /** A new instance of the driver under test, wired to {@link #archiver()}. */
    protected abstract StorageDriver newDriver();

    /** The engine's archiver, also used by the suite to read back what a mount shows in {@code security.*} xattrs. */
    protected abstract LayerArchiver archiver();

    @BeforeAll
    static void requireRoot() throws IOException {
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        assertEquals(0, uid, "the storage driver conformance suite runs as root (mounts, ownership, device nodes)");
    }

    @BeforeEach
    void openStore() throws IOException {
        home = temp.resolve("home");
        driver = newDriver();
        assertEquals(Optional.empty(), driver.unsupportedReason(home),
                "the suite runs on a host where the driver is supported");
        store = open();
    }

    @AfterEach
    void releaseEverything() throws IOException {
        List<Throwable> problems = new ArrayList<>();
        for (var e : held.entrySet()) {
            for (var m : e.getValue().entrySet()) {
                for (int i = 0; i < m.getValue(); i++) {
                    try {
                        e.getKey().unmount(m.getKey());
                    } catch (IOException | RuntimeException x) {
                        problems.add(x);
                    }
                }
            }
            try {
                e.getKey().close();
            } catch (IOException | RuntimeException x) {
                problems.add(x);
            }
        }
        held.clear();
        List<Path> left = MountTable.mountPointsUnder(temp);
        for (Path p : left) {
            // Last resort so that the temporary directory can go: a detached unmount by the mount(8) tool.
            try {
                new ProcessBuilder("umount", "-l", p.toString()).inheritIO().start().waitFor();
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        }
        if (!left.isEmpty()) {
            fail("the driver left mounts behind after every unmount and close: " + left);
        }
        // Layer trees hold absolute symlinks, root-owned and immutable-looking entries: let the archiver remove them
        // rather than JUnit, which warns about every link pointing outside the temporary directory.
        archiver().removeTree(home);
        if (!problems.isEmpty()) {
            AssertionError error = new AssertionError("releasing mounts or closing the store failed");
            problems.forEach(error::addSuppressed);
            throw error;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // The layers the tests use

    /** A base layer with every kind of entry an image may hold. */
    protected TarBuilder baseLayer() {
        TarBuilder t = new TarBuilder(BASE_MTIME);
        t.dir("bin", 0755);
        t.file("bin/tool", 0755, "#!/bin/sh\necho tool\n");
        t.file("bin/single", 0644, "a file with one name\n");
        t.file("bin/ping", 0755, "not really ping\n").xattr("security.capability", CAP_NET_RAW);
        t.file("bin/su", 04755, "setuid\n");
        t.dir("etc", 0755);
        t.file("etc/config", 0644, "version=1\n").xattr("user.origin", "base layer");
        t.file("etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\n");
        t.file("etc/empty", 0644, "");
        t.file("etc/hosts", 0644, "127.0.0.1 localhost\n");
        t.hardlink("etc/hosts.link", "etc/hosts");
        t.symlink("etc/relative", "hosts");
        t.symlink("etc/absolute", "/etc/hosts");
        t.symlink("etc/dangling", "../nowhere/at/all");
        t.fifo("etc/fifo", 0600);
        t.dir("tmp", 01777);
        t.dir("data", 0750).owner(1234, 5678).xattr("user.comment", "värde, ünïcode");
        t.file("data/owned", 0640, "owned by 1234:5678\n").owner(1234, 5678).xattr("user.note", "kept");
        t.dir("data/shared", 02775).owner(1234, 5678);
        t.dir("var", 0755);
        t.file("var/gone", 0644, "deleted by layer 2\n");
        t.dir("var/cache", 0755);
        t.dir("var/cache/app", 0755);
        t.file("var/cache/app/blob", 0644, bytes(5000, 7));
        t.dir("var/cache/app/sub", 0755);
        t.file("var/cache/app/sub/deep", 0644, "deep\n");
        t.dir("opt", 0755);
        t.dir("opt/data", 0755);
        t.file("opt/data/old", 0644, "hidden by the opaque directory\n");
        t.dir("opt/data/olddir", 0755);
        t.file("opt/data/olddir/older", 0644, "also hidden\n");
        t.dir("srv", 0755);
        t.file("srv/chmod-me", 0644, "mode changes in layer 2\n");
        t.file("srv/chown-me", 0644, "owner changes in layer 2\n");
        t.dir("usr", 0755);
        t.dir("usr/share", 0755);
        t.dir("usr/share/doc", 0755);
        t.file("usr/share/doc/README", 0644, "read me\n");
        t.dir("usr/share/doc/pkg", 0755);
        t.file("usr/share/doc/pkg/copyright", 0644, "(c) nobody\n");
        t.dir("long", 0755);
        t.dir(LONG_DIR, 0755);
        t.file(LONG_FILE, 0644, "a name longer than ustar's 100 bytes\n");
        t.symlink("long/link", "../" + LONG_FILE);
        return t;
    }

    /** A layer on top of {@link #baseLayer()}: whiteouts of a file and a directory, an opaque directory, changes. */
    protected TarBuilder secondLayer() {
        TarBuilder t = new TarBuilder(LAYER2_MTIME);
        t.dir("etc", 0755);
        t.file("etc/config", 0644, "version=2, longer than before\n");
        t.file("etc/added", 0644, "new in layer 2\n");
        t.dir("var", 0755);
        t.whiteout("var/gone");
        t.dir("var/cache", 0755);
        t.whiteout("var/cache/app");
        t.dir("opt", 0755);
        t.dir("opt/data", 0755);
        t.opaque("opt/data");
        t.file("opt/data/new", 0644, "the only file left in opt/data\n");
        t.dir("opt/data/newdir", 0700);
        t.dir("srv", 0750);
        t.file("srv/chmod-me", 0600, "mode changes in layer 2\n");
        t.file("srv/chown-me", 0644, "owner changes in layer 2\n").owner(42, 43);
        return t;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Tests

    @Test
    void baseLayerShowsExactlyItsTree() throws IOException {
        TarBuilder base = baseLayer();
        String id = id("base");
        long applied = store.applyDiff(id, null, tar(base));
        assertEquals(base.contentSize(), applied, "applyDiff returns the bytes of the layer's own content");
        assertEquals(base.contentSize(), store.size(id));

        Path merged = mount(id);
        TreeSnapshot view = TreeSnapshot.of(merged);
        assertNoDifferences(TreeSnapshot.empty().apply(base), view);
        assertTrue(view.sameFile("etc/hosts", "etc/hosts.link"), "hard links share one inode in the mount");
        assertEquals(FileTime.from(BASE_MTIME, java.util.concurrent.TimeUnit.SECONDS),
                Files.getLastModifiedTime(merged.resolve("etc/hosts"), LinkOption.NOFOLLOW_LINKS));
        assertArrayEquals(CAP_NET_RAW, securityXattrs(merged).get("bin/ping"),
                "security.capability survives into the mount");
        unmount(id);

        TarListing diff = diff(id);
        assertEquals(pathsOf(base), Set.copyOf(diff.names()), "writeDiff of a base layer lists exactly its entries");
        for (TarBuilder.Entry e : base.entries()) {
            TarListing.Entry got = diff.get(e.path());
            if (e.type() == TarBuilder.HARDLINK) {
                continue;
            }
            if (e.path().equals("etc/hosts")) {
                continue;
            }
            assertEquals(e.type(), got.type(), e.path());
            assertEquals(e.uid() + ":" + e.gid(), got.uid() + ":" + got.gid(), e.path());
            if (e.type() != TarBuilder.SYMLINK) {
                assertEquals(e.mode(), got.mode(), e.path());
            }
            if (e.type() == TarBuilder.REGULAR) {
                assertArrayEquals(e.content(), got.content(), e.path());
                assertEquals(BASE_MTIME, got.mtime(), e.path() + " keeps its modification time");
            }
            if (e.type() == TarBuilder.SYMLINK) {
                assertEquals(e.linkTarget(), got.linkName(), e.path());
            }
            assertEquals(show(e.xattrs()), show(got.xattrs()), e.path() + " xattrs");
        }
        TarListing.Entry hosts = diff.get("etc/hosts");
        TarListing.Entry link = diff.get("etc/hosts.link");
        assertTrue(hosts.type() == TarBuilder.HARDLINK && hosts.linkName().equals("etc/hosts.link")
                || link.type() == TarBuilder.HARDLINK && link.linkName().equals("etc/hosts"),
                "writeDiff keeps the hard link as a link entry");
    }

    @Test
    void secondLayerAppliesWhiteoutsOpaqueDirectoriesAndChanges() throws IOException {
        TarBuilder base = baseLayer();
        TarBuilder second = secondLayer();
        String b = id("base");
        String l2 = id("layer2");
        store.applyDiff(b, null, tar(base));
        assertEquals(second.contentSize(), store.applyDiff(l2, b, tar(second)));
        assertEquals(second.contentSize(), store.size(l2), "size counts the layer's own content only");

        TreeSnapshot expected = TreeSnapshot.empty().apply(base).apply(second);
        TreeSnapshot view = TreeSnapshot.of(mount(l2));
        assertNoDifferences(expected, view);
        assertFalse(view.contains("var/gone"));
        assertFalse(view.contains("var/cache/app"));
        assertEquals(Set.of("new", "newdir"), view.children("opt/data"));
        assertEquals(Map.of(), view.get("etc/config").xattrs(), "a replaced file does not keep the old xattrs");
        unmount(l2);

        byte[] diff = diffBytes(l2);
        TarListing listing = TarListing.read(diff);
        assertTrue(listing.find("var/.wh.gone").isPresent(), "a deleted file comes back as a whiteout");
        assertTrue(listing.find("var/cache/.wh.app").isPresent(), "a deleted directory comes back as one whiteout");
        assertEquals("version=2, longer than before\n", listing.get("etc/config").text());
        assertEquals(0600, listing.get("srv/chmod-me").mode());
        assertEquals(42, listing.get("srv/chown-me").uid());

        String again = id("layer2-again");
        store.applyDiff(again, b, new ByteArrayInputStream(diff));
        assertNoDifferences(expected, TreeSnapshot.of(mount(again)));
        unmount(again);
    }

    @Test
    void readWriteLayerRecordsWhatTheContainerChanged() throws IOException {
        String b = id("base");
        String l2 = id("layer2");
        String rw = id("container");
        store.applyDiff(b, null, tar(baseLayer()));
        store.applyDiff(l2, b, tar(secondLayer()));
        TreeSnapshot image = TreeSnapshot.empty().apply(baseLayer()).apply(secondLayer());

        store.createReadWrite(rw, l2);
        assertEquals(0, store.size(rw), "a new read-write layer holds nothing of its own");
        Path m = mount(rw);
        assertNoDifferences(image, TreeSnapshot.of(m));

        Files.writeString(m.resolve("etc/written"), "written in the container\n");
        Files.createLink(m.resolve("etc/written.link"), m.resolve("etc/written"));
        Files.delete(m.resolve("etc/passwd"));
        deleteTree(m.resolve("usr/share/doc"));
        Files.createDirectory(m.resolve("usr/share/doc"));
        Files.writeString(m.resolve("usr/share/doc/NEW"), "fresh docs\n");
        Files.setAttribute(m.resolve("bin/tool"), "unix:mode", 0700);
        Files.setAttribute(m.resolve("etc/empty"), "unix:uid", 7);
        Files.createLink(m.resolve("bin/single.link"), m.resolve("bin/single"));

        TreeSnapshot container = TreeSnapshot.of(m);
        assertEquals("written in the container\n", Files.readString(m.resolve("etc/written")));
        assertFalse(container.contains("etc/passwd"));
        assertEquals(Set.of("NEW"), container.children("usr/share/doc"));
        assertEquals(0700, container.get("bin/tool").mode());
        assertEquals(7, container.get("etc/empty").uid());
        assertTrue(container.sameFile("bin/single", "bin/single.link"));
        assertTrue(container.sameFile("etc/written", "etc/written.link"));
        Set<String> touched = Set.of("etc/written", "etc/written.link", "etc/passwd", "usr/share/doc",
                "bin/tool", "etc/empty", "bin/single", "bin/single.link", "etc", "usr/share", "bin");
        for (var e : image.nodes().entrySet()) {
            if (!touched.contains(e.getKey()) && !e.getKey().startsWith("usr/share/doc/")) {
                assertEquals(e.getValue(), container.get(e.getKey()), e.getKey() + " is untouched");
            }
        }
        long own = "written in the container\n".length() + "fresh docs\n".length()
                + "#!/bin/sh\necho tool\n".length() + "a file with one name\n".length();
        assertEquals(own, store.size(rw), "the container's own content: new files and every changed file once");

        // The diff is taken while the container runs, as docker diff / docker commit do.
        byte[] diff = diffBytes(rw);
        unmount(rw);
        TarListing listing = TarListing.read(diff);
        assertTrue(listing.find("etc/.wh.passwd").isPresent(), "the deleted file is a whiteout; got " + listing.names());
        assertEquals("written in the container\n", listing.get("etc/written").text());
        assertEquals(0700, listing.get("bin/tool").mode());
        assertEquals(7, listing.get("etc/empty").uid());
        assertTrue(listing.find("usr/share/doc/.wh..wh..opq").isPresent()
                || listing.find("usr/share/doc/.wh.README").isPresent()
                        && listing.find("usr/share/doc/.wh.pkg").isPresent(),
                "the recreated directory hides its old content; got " + listing.names());
        assertFalse(listing.find("usr/share/doc/README").isPresent());
        assertFalse(listing.find("var/cache/app").isPresent(), "nothing of the image layers' own changes");

        // Committing the container (its diff as an image layer on the image top) gives what the container saw.
        // A diff of full trees (vfs) records only the new name of a hard link to an unchanged file, as Docker's
        // naive diff does, so that link may come back as a copy.
        String commit = id("commit");
        store.applyDiff(commit, l2, new ByteArrayInputStream(diff));
        TreeSnapshot committed = TreeSnapshot.of(mount(commit));
        assertNoDifferences(container.ignoringLinksOf("bin/single", "bin/single.link"),
                committed.ignoringLinksOf("bin/single", "bin/single.link"));
        unmount(commit);
    }

    @Test
    void readWriteLayerWithoutParentStartsEmpty() throws IOException {
        String rw = id("scratch-container");
        store.createReadWrite(rw, null);
        Path m = mount(rw);
        assertEquals(Set.of(), TreeSnapshot.of(m).nodes().keySet());
        Files.createDirectory(m.resolve("app"));
        Files.writeString(m.resolve("app/main"), "main\n");
        unmount(rw);
        TarListing diff = diff(rw);
        assertEquals(Set.of("app", "app/main"), Set.copyOf(diff.names()));
        assertEquals(5, store.size(rw));
    }

    @Test
    void idsExistsSizeAndRemove() throws IOException {
        String b = id("base");
        String l2 = id("layer2");
        String rw = id("container");
        assertEquals(Set.of(), store.ids());
        assertFalse(store.exists(b));
        store.applyDiff(b, null, tar(baseLayer()));
        store.applyDiff(l2, b, tar(secondLayer()));
        store.createReadWrite(rw, l2);
        assertEquals(Set.of(b, l2, rw), store.ids());
        assertTrue(store.exists(b) && store.exists(l2) && store.exists(rw));
        assertEquals(baseLayer().contentSize(), store.size(b));

        store.remove(rw);
        assertFalse(store.exists(rw));
        assertEquals(Set.of(b, l2), store.ids());
        store.remove(rw);
        store.remove(id("never-existed"));
        assertNoDifferences(TreeSnapshot.empty().apply(baseLayer()).apply(secondLayer()), TreeSnapshot.of(mount(l2)));
        unmount(l2);
        store.remove(l2);
        store.remove(b);
        assertEquals(Set.of(), store.ids());
    }

    @Test
    void removingAMountedLayerUnmountsIt() throws IOException {
        String b = id("base");
        String rw = id("container");
        store.applyDiff(b, null, tar(baseLayer()));
        store.createReadWrite(rw, b);
        Path m = store.mount(rw);
        Files.writeString(m.resolve("busy"), "busy\n");
        store.remove(rw);
        assertFalse(store.exists(rw));
        assertEquals(List.of(), MountTable.mountPointsUnder(home));
    }

    @Test
    void mountsAreCounted() throws IOException {
        String b = id("base");
        String l2 = id("layer2");
        store.applyDiff(b, null, tar(baseLayer()));
        store.applyDiff(l2, b, tar(secondLayer()));
        Path first = mount(l2);
        Path second = mount(l2);
        assertEquals(first, second, "every mount of a layer answers the same directory");
        unmount(l2);
        assertTrue(Files.exists(first.resolve("etc/added")), "still mounted after one of two unmounts");
        assertNoDifferences(TreeSnapshot.empty().apply(baseLayer()).apply(secondLayer()), TreeSnapshot.of(first));
        unmount(l2);
        assertEquals(List.of(), MountTable.mountPointsUnder(home), "nothing mounted after the last unmount");
        Path third = mount(l2);
        assertTrue(Files.exists(third.resolve("etc/added")), "mounts again after the last unmount");
        unmount(l2);
    }

    @Test
    void reopenedStoreFindsEveryLayer() throws IOException {
        String b = id("base");
        String l2 = id("layer2");
        String rw = id("container");
        store.applyDiff(b, null, tar(baseLayer()));
        store.applyDiff(l2, b, tar(secondLayer()));
        store.createReadWrite(rw, l2);
        Files.writeString(mount(rw).resolve("kept"), "kept across a restart\n");
        unmount(rw);
        close(store);

        store = open();
        assertEquals(Set.of(b, l2, rw), store.ids());
        assertTrue(store.exists(b) && store.exists(l2) && store.exists(rw));
        assertNoDifferences(TreeSnapshot.empty().apply(baseLayer()).apply(secondLayer()), TreeSnapshot.of(mount(l2)));
        unmount(l2);
        Path m = mount(rw);
        assertEquals("kept across a restart\n", Files.readString(m.resolve("kept")));
        assertTrue(Files.exists(m.resolve("etc/added")), "the parent chain was recorded");
        unmount(rw);
        assertEquals("kept across a restart\n", diff(rw).get("kept").text());
        assertEquals(secondLayer().contentSize(), store.size(l2));
    }

    @Test
    void truncatedTarLeavesNothingBehind() throws IOException {
        String b = id("base");
        store.applyDiff(b, null, tar(baseLayer()));
        TarBuilder big = new TarBuilder();
        big.dir("big", 0755);
        big.file("big/file", 0644, bytes(100_000, 3));
        byte[] whole = big.toBytes();
        byte[] cut = Arrays.copyOf(whole, 512 + 512 + 50_000);

        List<String> before = listing(home);
        String bad = id("truncated");
        assertThrows(Exception.class, () -> store.applyDiff(bad, b, new ByteArrayInputStream(cut)));
        assertFalse(store.exists(bad));
        assertEquals(Set.of(b), store.ids());
        assertEquals(before, listing(home), "a failed applyDiff leaves no trace in the store");
        assertThrows(Exception.class, () -> store.applyDiff(bad, null, new ByteArrayInputStream(cut)));
        assertFalse(store.exists(bad));
        assertEquals(before, listing(home));
    }

    @Test
    void tarEscapingItsTargetIsRefusedAndLeavesNothingBehind() throws IOException {
        String b = id("base");
        store.applyDiff(b, null, tar(baseLayer()));
        TarBuilder evil = new TarBuilder();
        evil.dir("ok", 0755);
        evil.file("ok/file", 0644, "fine\n");
        for (int depth = 1; depth <= 6; depth++) {
            evil.file("../".repeat(depth) + "escaped", 0644, "outside\n");
        }
        List<String> before = listing(home);
        String bad = id("escaping");
        assertThrows(Exception.class, () -> store.applyDiff(bad, b, tar(evil)));
        assertFalse(store.exists(bad));
        assertEquals(before, listing(home));
        try (Stream<Path> all = Files.walk(temp)) {
            assertEquals(List.of(), all.filter(p -> p.getFileName().toString().equals("escaped")).toList());
        }
        assertFalse(Files.exists(temp.getParent().resolve("escaped")), "nothing written above the store");
    }

    @Test
    void sameIdTwiceIsRefusedAndKeepsTheFirstLayer() throws IOException {
        String b = id("base");
        store.applyDiff(b, null, tar(baseLayer()));
        List<String> before = listing(home);
        TarBuilder other = new TarBuilder();
        other.file("other", 0644, "other\n");
        assertThrows(Exception.class, () -> store.applyDiff(b, null, tar(other)));
        assertThrows(Exception.class, () -> store.createReadWrite(b, null));
        assertTrue(store.exists(b));
        assertEquals(before, listing(home));
        assertNoDifferences(TreeSnapshot.empty().apply(baseLayer()), TreeSnapshot.of(mount(b)));
        unmount(b);
    }

    @Test
    void missingParentIsRefused() throws IOException {
        store.applyDiff(id("base"), null, tar(baseLayer()));
        List<String> before = listing(home);
        String child = id("orphan");
        assertThrows(Exception.class, () -> store.applyDiff(child, id("no-such-parent"), tar(secondLayer())));
        assertThrows(Exception.class, () -> store.createReadWrite(child, id("no-such-parent")));
        assertFalse(store.exists(child));
        assertEquals(before, listing(home));
    }

    @Test
    void chainOf150LayersMounts() throws IOException {
        int depth = 150;
        TreeSnapshot expected = TreeSnapshot.empty();
        String parent = null;
        long start = System.nanoTime();
        for (int i = 0; i < depth; i++) {
            TarBuilder layer = chainLayer(i);
            String id = id("chain-" + i);
            store.applyDiff(id, parent, tar(layer));
            expected = expected.apply(layer);
            parent = id;
        }
        long applied = System.nanoTime();
        Path m = mount(parent);
        long mounted = System.nanoTime();
        TreeSnapshot view = TreeSnapshot.of(m);
        assertNoDifferences(expected, view);
        assertEquals("layer " + (depth - 1) + "\n", Files.readString(m.resolve("top")));
        unmount(parent);

        String rw = id("chain-container");
        store.createReadWrite(rw, parent);
        Path c = mount(rw);
        Files.writeString(c.resolve("top"), "container\n");
        assertEquals(depth, view.children("layers").stream().filter(n -> !n.startsWith("scratch")).count());
        unmount(rw);
        assertEquals("container\n", diff(rw).get("top").text());
        System.out.printf("%s: %d-layer chain applied in %d ms, top mounted in %.1f ms%n", getClass().getSimpleName(),
                depth, (applied - start) / 1_000_000, (mounted - applied) / 1e6);
    }

    @Test
    void driverReportsStatus() {
        List<String[]> status = store.status();
        assertNotNull(status);
        for (String[] row : status) {
            assertEquals(2, row.length, "status rows are key/value pairs");
            assertNotNull(row[0]);
            assertNotNull(row[1]);
        }
        assertNotEquals("", driver.name());
    }

    /** Layer {@code i} of a chain: a file of its own, a file every layer replaces, and a whiteout of the last one's. */
    protected static TarBuilder chainLayer(int i) {
        TarBuilder t = new TarBuilder(BASE_MTIME + i);
        t.dir("layers", 0755);
        t.file("layers/" + i, 0644, i + "\n");
        t.file("layers/scratch-" + i, 0644, "scratch\n");
        if (i > 0) {
            t.whiteout("layers/scratch-" + (i - 1));
        }
        t.file("top", 0644, "layer " + i + "\n");
        return t;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Support

    /** An engine-style layer id: 64 hex digits. */
    protected static String id(String label) {
        return TreeSnapshot.sha256(label.getBytes(StandardCharsets.UTF_8));
    }

    protected static ByteArrayInputStream tar(TarBuilder t) {
        return new ByteArrayInputStream(t.toBytes());
    }

    protected static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** Opens a store on {@link #home}; the suite closes it after the test. */
    protected LayerStore open() throws IOException {
        LayerStore s = driver.open(home, Map.of());
        held.put(s, new LinkedHashMap<>());
        return s;
    }

    protected void close(LayerStore s) throws IOException {
        Map<String, Integer> mounts = held.remove(s);
        assertEquals(0, mounts.values().stream().mapToInt(Integer::intValue).sum(), "close after unmounting");
        s.close();
    }

    /** Mounts {@code id} in the current store, counting it so that the suite can release it should the test fail. */
    protected Path mount(String id) throws IOException {
        Path p = store.mount(id);
        held.get(store).merge(id, 1, Integer::sum);
        return p;
    }

    protected void unmount(String id) throws IOException {
        held.get(store).merge(id, -1, Integer::sum);
        store.unmount(id);
    }

    protected byte[] diffBytes(String id) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.writeDiff(id, out);
        return out.toByteArray();
    }

    protected TarListing diff(String id) throws IOException {
        return TarListing.read(diffBytes(id));
    }

    /** The {@code security.capability} of each file under {@code dir}, read through the archiver (Java cannot). */
    protected Map<String, byte[]> securityXattrs(Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        archiver().writeTree(dir, WhiteoutFormat.APPLIED, out);
        Map<String, byte[]> caps = new LinkedHashMap<>();
        for (TarListing.Entry e : TarListing.read(out.toByteArray()).entries()) {
            byte[] cap = e.xattrs().get("security.capability");
            if (cap != null) {
                caps.put(e.name(), cap);
            }
        }
        return caps;
    }

    /** Every path under {@code dir}, sorted: to check that a failed call left the store as it found it. */
    protected static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    protected static void assertNoDifferences(TreeSnapshot expected, TreeSnapshot actual) {
        List<String> diffs = expected.differences(actual);
        if (!diffs.isEmpty()) {
            fail(diffs.size() + " differences from the expected tree:\n  " + String.join("\n  ", diffs));
        }
    }

    private static Set<String> pathsOf(TarBuilder t) {
        return t.entries().stream().map(TarBuilder.Entry::path).collect(Collectors.toSet());
    }

    private static Map<String, String> show(Map<String, byte[]> xattrs) {
        Map<String, String> out = new java.util.TreeMap<>();
        xattrs.forEach((k, v) -> out.put(k, HexFormat.of().formatHex(v)));
        return out;
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> all = Files.walk(p)) {
            for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
