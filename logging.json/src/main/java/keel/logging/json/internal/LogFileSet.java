package keel.logging.json.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * The files of one container's log, named as Docker names them: {@code <id>-json.log} (being written),
 * {@code <id>-json.log.1} (the newest rotated one) up to {@code .<max-file - 1>}, each {@code .gz} once compressed.
 */
public final class LogFileSet {

    private final Path current;
    private final int maxFiles;

    public LogFileSet(Path current, int maxFiles) {
        this.current = current;
        this.maxFiles = maxFiles;
    }

    public Path current() {
        return current;
    }

    public int maxFiles() {
        return maxFiles;
    }

    /** The rotated file {@code n} rotations old (1 is the newest), uncompressed. */
    public Path rotated(int n) {
        return current.resolveSibling(current.getFileName() + "." + n);
    }

    public Path compressed(int n) {
        return current.resolveSibling(current.getFileName() + "." + n + ".gz");
    }

    /**
     * Where the file of a generation is compressed before it is renamed into place, so no reader ever sees half a
     * .gz. Named by generation, not place: rotations may move the file while it is being compressed.
     */
    Path compressing(long generation) {
        return current.resolveSibling(current.getFileName() + ".compressing-" + generation + ".tmp");
    }

    /**
     * Opens rotated file {@code n}: the uncompressed one first, then the .gz, as Docker does. A compression renames
     * the complete .gz into place before it unlinks the uncompressed file, so in this order one of them is always
     * found. Returns null when neither exists.
     */
    public OpenedLogFile openRotated(int n) throws IOException {
        try {
            return new OpenedLogFile(FileChannel.open(rotated(n), StandardOpenOption.READ), false);
        } catch (NoSuchFileException e) {
            // compressed, or not there
        }
        try {
            return new OpenedLogFile(FileChannel.open(compressed(n), StandardOpenOption.READ), true);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Moves every rotated file one place older (Docker's rotate: the oldest is dropped, .N-1 becomes .N, ...,
     * .1 becomes .2), leaving place for the current file to become .1. Both forms of each file move, so an
     * uncompressed file left behind by a failed compression is kept rather than overwritten.
     */
    void shiftRotated() throws IOException {
        Files.deleteIfExists(rotated(maxFiles - 1));
        Files.deleteIfExists(compressed(maxFiles - 1));
        for (int n = maxFiles - 1; n > 1; n--) {
            moveIfExists(rotated(n - 1), rotated(n));
            moveIfExists(compressed(n - 1), compressed(n));
        }
    }

    static void moveIfExists(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // nothing at this place yet
        }
    }

    /** Deletes the current file and every rotated, compressed or half-compressed one, whatever max-file was. */
    void deleteAll() throws IOException {
        delete(Pattern.compile(Pattern.quote(current.getFileName().toString())
                + "(\\.\\d+(\\.gz)?|\\.compressing-\\d+\\.tmp)?"));
    }

    /** Deletes compressions a crash interrupted (their uncompressed files are still there). */
    void deleteStaleCompressions() throws IOException {
        delete(Pattern.compile(Pattern.quote(current.getFileName().toString()) + "\\.compressing-\\d+\\.tmp"));
    }

    private void delete(Pattern names) throws IOException {
        Path dir = current.getParent();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                if (names.matcher(p.getFileName().toString()).matches()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
