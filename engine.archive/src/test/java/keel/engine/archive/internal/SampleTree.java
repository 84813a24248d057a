package keel.engine.archive.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds trees with every kind of thing a layer holds, with whole-second mtimes (all a tar keeps). */
final class SampleTree {

    /** A vfs_cap_data v2 granting CAP_SETUID (bit 7: byte 0x80, not valid UTF-8) and CAP_NET_BIND_SERVICE. */
    static final byte[] CAPABILITY = {
        0x01, 0x00, 0x00, 0x02, // VFS_CAP_REVISION_2, no effective bit
        (byte) 0x80, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // permitted[0], inheritable[0]
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 // permitted[1], inheritable[1]
    };

    static final String LONG_DIR = "long-" + "d".repeat(60) + "/" + "nested-" + "e".repeat(60);
    static final String LONG_FILE = LONG_DIR + "/" + "f".repeat(150) + ".txt";

    private final Path root;
    private final FileSystemCalls fs = LibcFileSystemCalls.get();
    private final MetadataWriter metadata = new MetadataWriter(fs);
    private final List<Path> made = new ArrayList<>();
    private long clock = 1_600_000_000L;

    SampleTree(Path root) {
        this.root = root;
    }

    /** A tree with one of everything from the round-trip requirement list. */
    static void createFull(Path root) throws IOException {
        SampleTree t = new SampleTree(root);
        t.dir("a", 0755, 0, 0);
        t.file("a/hello.txt", "hello\n", 0644, 1234, 5678);
        t.dir("a/b", 0750, 1234, 5678);
        byte[] big = new byte[300_000];
        new Random(42).nextBytes(big);
        t.file("a/b/big.bin", big, 0600, 0, 0);
        t.file("empty.txt", "", 0644, 0, 0);
        t.dir("empty-dir", 0700, 0, 0);
        t.dir("tmp", 01777, 0, 0);
        t.dir("bin", 0755, 0, 0);
        t.file("bin/setuid", "#!/bin/sh\n", 04755, 0, 0);
        t.file("bin/setgid", "#!/bin/sh\n", 02711, 1234, 5678);
        t.file("bin/ping", "ping", 0755, 0, 0);
        t.xattr("bin/ping", "security.capability", CAPABILITY);
        t.file("bin/big-ids", "ids", 0644, 3_000_000, 4_000_000);
        t.xattr("a/hello.txt", "user.comment", "hi there".getBytes(StandardCharsets.UTF_8));
        t.xattr("a/b", "trusted.keel.test", new byte[] {0, 1, 2, (byte) 0xff});
        t.symlink("rel-link", "a/hello.txt", 1234, 5678);
        t.symlink("abs-link", "/opt/keel-test/absolute-target", 0, 0);
        t.symlink("dangling", "nowhere/../missing", 0, 0);
        t.symlink("dir-link", "a", 0, 0);
        t.hardlink("hard-1.txt", "a/hello.txt");
        t.hardlink("a/b/hard-2.txt", "a/hello.txt");
        t.special("fifo", FileSystemCalls.S_IFIFO, 0640, 0, 1234, 5678);
        t.dir("dev", 0755, 0, 0);
        t.special("dev/null", FileSystemCalls.S_IFCHR, 0666, FileSystemCalls.makedev(1, 3), 0, 0);
        t.special("dev/loop9", FileSystemCalls.S_IFBLK, 0660, FileSystemCalls.makedev(7, 9), 0, 6);
        t.dir("long-" + "d".repeat(60), 0755, 0, 0);
        t.dir(LONG_DIR, 0755, 0, 0);
        t.file(LONG_FILE, "long", 0644, 0, 0);
        t.symlink("long-link", LONG_FILE, 0, 0);
        t.dir("ünïcødé", 0755, 0, 0);
        t.file("ünïcødé/日本語.txt", "こんにちは", 0644, 0, 0);
        t.file("😀.txt", "emoji", 0644, 0, 0);
        t.finish();
    }

    Path dir(String name, int mode, long uid, long gid) throws IOException {
        Path p = root.resolve(name);
        Files.createDirectory(p);
        own(p, mode, uid, gid);
        return p;
    }

    Path file(String name, String content, int mode, long uid, long gid) throws IOException {
        return file(name, content.getBytes(StandardCharsets.UTF_8), mode, uid, gid);
    }

    Path file(String name, byte[] content, int mode, long uid, long gid) throws IOException {
        Path p = root.resolve(name);
        Files.write(p, content);
        own(p, mode, uid, gid);
        return p;
    }

    Path symlink(String name, String target, long uid, long gid) throws IOException {
        Path p = root.resolve(name);
        fs.symlink(target, p);
        metadata.chown(p, uid, gid);
        made.add(p);
        return p;
    }

    Path hardlink(String name, String target) throws IOException {
        return Files.createLink(root.resolve(name), root.resolve(target));
    }

    Path special(String name, int type, int mode, long rdev, long uid, long gid) throws IOException {
        Path p = root.resolve(name);
        fs.mknod(p, type | mode, rdev);
        own(p, mode, uid, gid);
        return p;
    }

    /** Gives an existing path a new mtime at {@link #finish}. */
    void touch(String name) {
        made.add(root.resolve(name));
    }

    void xattr(String name, String key, byte[] value) throws IOException {
        fs.setXattr(root.resolve(name), key, value);
    }

    private void own(Path p, int mode, long uid, long gid) throws IOException {
        metadata.chown(p, uid, gid);
        metadata.chmod(p, mode);
        made.add(p);
    }

    /** Gives every path made a distinct whole-second mtime, children before the directories holding them. */
    void finish() throws IOException {
        for (int i = made.size() - 1; i >= 0; i--) {
            long t = clock + i * 60L;
            metadata.setTimes(made.get(i), t, 0, t, 0);
        }
        clock += made.size() * 60L;
        made.clear();
    }
}
