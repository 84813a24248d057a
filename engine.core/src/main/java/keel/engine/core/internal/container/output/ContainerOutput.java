package keel.engine.core.internal.container.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;

/**
 * One container's output as the pump reads it: its two spool files (the process's fd 1 and 2, or the terminal's
 * output in {@code stdout}), how far each has been consumed, and where the messages go. Everything but the
 * constructor and {@link #finished()} belongs to the pump's thread.
 *
 * <p>The consumed offsets are kept in a 16-byte file next to the spools (two big-endian longs), rewritten in place
 * after every batch, so that a new daemon resumes where this one stopped. "Consumed" excludes the start of an
 * unfinished line still held by the splitter: those bytes are read again after a restart rather than lost.
 */
public final class ContainerOutput {

    final String containerId;
    final boolean tty;
    final OutputTarget target;
    final Path offsetsFile;
    final Stream stdout;
    final Stream stderr;
    final CompletableFuture<Void> finished = new CompletableFuture<>();

    FileChannel offsets;
    boolean registered;
    boolean finishing;
    boolean polled;
    long throttledSince;

    public ContainerOutput(String containerId, Path stdoutSpool, Path stderrSpool, Path offsetsFile, boolean tty,
            OutputTarget target) {
        this.containerId = containerId;
        this.tty = tty;
        this.target = target;
        this.offsetsFile = offsetsFile;
        this.stdout = new Stream(this, stdoutSpool, "stdout", tty ? 0 : 1);
        this.stderr = new Stream(this, stderrSpool, "stderr", 2);
    }

    public String containerId() {
        return containerId;
    }

    /** Completes when everything the process wrote has been delivered and the spools are closed. */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    /**
     * Prepares the spools for a new run: both empty (created when missing), consumed offsets zero. Called by the
     * engine before the runtime starts the process. Nothing is flushed: the spools only matter while the process
     * that writes them lives, and no process survives a power cut; a daemon that merely died sees the page cache.
     */
    public static void resetSpools(Path stdoutSpool, Path stderrSpool, Path offsetsFile) throws IOException {
        for (Path p : new Path[] {stdoutSpool, stderrSpool}) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                // created or emptied
            }
        }
        writeOffsets(offsetsFile, 0, 0);
    }

    /** The consumed offsets recorded in {@code file}; zeros when it is missing or short. */
    static long[] readOffsets(Path file) throws IOException {
        try {
            byte[] b = Files.readAllBytes(file);
            if (b.length < 16) {
                return new long[2];
            }
            ByteBuffer buf = ByteBuffer.wrap(b);
            return new long[] {Math.max(0, buf.getLong(0)), Math.max(0, buf.getLong(8))};
        } catch (NoSuchFileException e) {
            return new long[2];
        }
    }

    static void writeOffsets(Path file, long out, long err) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            writeOffsets(ch, out, err);
        }
    }

    static void writeOffsets(FileChannel ch, long out, long err) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).putLong(0, out).putLong(8, err);
        int written = 0;
        while (written < 16) {
            written += ch.write(b.position(written), written);
        }
    }

    /** One spool file. */
    static final class Stream {
        final ContainerOutput owner;
        final Path path;
        final String name;
        final int number;
        final LineSplitter splitter;
        FileChannel channel;
        long offset;
        long punched;
        int wd = -1;

        Stream(ContainerOutput owner, Path path, String name, int number) {
            this.owner = owner;
            this.path = path;
            this.name = name;
            this.number = number;
            this.splitter = new LineSplitter(name);
        }

        long consumed() {
            return offset - splitter.pendingLength();
        }
    }
}
