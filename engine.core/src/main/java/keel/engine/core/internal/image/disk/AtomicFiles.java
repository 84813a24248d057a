package keel.engine.core.internal.image.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Crash-safe metadata writes. A file is written under a temporary name in its own directory, flushed, renamed over
 * its final name and the directory flushed, so that after a power loss or {@code kill -9} a reader sees the old
 * content or the new, never a torn file (rename(2) is atomic within one filesystem; without the fsyncs ext4 and xfs
 * may persist the rename before the data). Directories are built under a temporary name and renamed the same way.
 *
 * <p>Temporary names start with {@value #TEMP_PREFIX}; the reconciler removes such leftovers at startup.
 *
 * <p>Some writers ask for atomicity without durability ({@code durable == false}): records whose loss or whose
 * older version after a power cut the reader repairs (a {@code --rm} container's files, which the next start
 * removes whatever their state). The temporary-name-and-rename dance stays, so that a crash of the daemon alone
 * (the page cache survives it) never exposes a half-written file; only the flushes go. After a power cut such a
 * file may be missing, old, or empty (never a mix of two versions), and its reader must accept all three.
 */
public final class AtomicFiles {

    /** Prefix of every temporary file or directory this class creates next to its target. */
    public static final String TEMP_PREFIX = ".tmp-";

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    /** 64 random hex digits: layer cache ids, temporary names. */
    public static String randomHex() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Atomically and durably replaces {@code target} with {@code data}. */
    public static void write(Path target, byte[] data) throws IOException {
        write(target, data, true);
    }

    /**
     * Atomically replaces {@code target} with {@code data}; durably (file and directory flushed) when asked, else
     * see {@link #writeEphemeral}.
     */
    public static void write(Path target, byte[] data, boolean durable) throws IOException {
        if (!durable) {
            writeEphemeral(target, data);
            return;
        }
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(TEMP_PREFIX + target.getFileName() + "-" + randomHex().substring(0, 16));
        try {
            writeDurably(tmp, data);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        fsyncDirectory(dir);
    }

    /**
     * Atomically replaces {@code target} with {@code data} without flushing it to disk: for files rebuilt at
     * every use (a container's runtime bundle), which a crash cannot make stale since they are made again.
     */
    public static void writeEphemeral(Path target, byte[] data) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        ensureDirectory(dir);
        Path tmp = dir.resolve(TEMP_PREFIX + target.getFileName() + "-" + randomHex().substring(0, 16));
        try {
            Files.write(tmp, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * Files.createDirectories, for a directory that almost always exists: JDK 17's finds an existing one by an
     * exception (two, with their stack walks), java.io.File's check by a boolean.
     */
    public static void ensureDirectory(Path dir) throws IOException {
        if (!dir.toFile().isDirectory()) {
            Files.createDirectories(dir);
        }
    }

    /** Writes a new file (which must not exist) and flushes it; the caller renames it into place. */
    public static void writeDurably(Path file, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /** Flushes a file's content to disk. */
    public static void fsyncFile(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Flushes a directory, making the renames and unlinks inside it durable. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** A fresh, empty temporary directory inside {@code parent}, for building a tree to {@link #publish}. */
    public static Path createStagingDirectory(Path parent, String purpose) throws IOException {
        ensureDirectory(parent);
        return Files.createDirectory(parent.resolve(TEMP_PREFIX + purpose + "-" + randomHex().substring(0, 16)));
    }

    /**
     * Renames a directory {@code staging} whose files were all written with {@link #writeDurably} to {@code target},
     * which must not exist: flushes the directory itself, renames, flushes the parent (the files are not flushed a
     * second time, unlike {@link #publish}).
     */
    public static void publishSynced(Path staging, Path target) throws IOException {
        fsyncDirectory(staging);
        if (Files.exists(target)) {
            throw new java.nio.file.FileAlreadyExistsException(target.toString());
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(target.getParent());
        if (!staging.getParent().equals(target.getParent())) {
            fsyncDirectory(staging.getParent());
        }
    }

    /** Writes a new file (which must not exist) without flushing it, for a staging directory published later. */
    public static void writeNew(Path file, byte[] data) throws IOException {
        Files.write(file, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /**
     * Renames a fully written directory {@code staging} to {@code target}, which must not exist, after flushing
     * every file in it; then flushes the parent so the rename survives a crash.
     *
     * @throws java.nio.file.FileAlreadyExistsException or {@link DirectoryNotEmptyException} when {@code target}
     *         exists already
     */
    public static void publish(Path staging, Path target) throws IOException {
        try (var files = Files.list(staging)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    fsyncFile(f);
                }
            }
        }
        fsyncDirectory(staging);
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
            throw new java.nio.file.FileAlreadyExistsException(target.toString());
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(target.getParent());
        if (!staging.getParent().equals(target.getParent())) {
            fsyncDirectory(staging.getParent());
        }
    }

    /**
     * Takes {@code dir} out of its place atomically by renaming it to a temporary name beside it, so that a crash
     * during the (slow) removal of its content leaves a leftover the reconciler deletes, never a half-deleted
     * record under the real name.
     *
     * @return the temporary name, to pass to {@link #removeTree}; null when {@code dir} did not exist
     */
    public static Path retire(Path dir) throws IOException {
        return retire(dir, true);
    }

    /**
     * {@link #retire(Path)}, flushing the parent only when {@code durable}: a removal whose commit point is
     * elsewhere (a record marked dead, or one whose owner the next start removes anyway) needs no flush here, since
     * a retire lost to a power cut is redone at the next start.
     */
    public static Path retire(Path dir, boolean durable) throws IOException {
        Path tmp = dir.resolveSibling(TEMP_PREFIX + "rm-" + dir.getFileName() + "-" + randomHex().substring(0, 8));
        try {
            Files.move(dir, tmp, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (durable) {
            fsyncDirectory(dir.getParent());
        }
        return tmp;
    }

    /** Removes a tree without following symbolic links; a missing tree is not an error. */
    public static void removeTree(Path tree) throws IOException {
        if (tree == null || !Files.exists(tree, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(tree, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(tree);
            return;
        }
        try {
            Files.walkFileTree(tree, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    if (exc != null && !(exc instanceof NoSuchFileException)) {
                        throw exc;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Reads a small text file, trimmed; null when it does not exist. */
    public static String readText(Path file) throws IOException {
        try {
            return Files.readString(file).trim();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
