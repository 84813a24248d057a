package keel.logging.json.internal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import keel.engine.api.logging.ContainerLog;
import keel.engine.api.logging.LogContext;
import keel.engine.api.logging.LogEntry;
import keel.engine.api.logging.LogReadOptions;
import keel.engine.api.logging.LogSink;

/**
 * One container's json-file log: Docker's loggerutils.LogFile with its rotation and compression, read back with
 * tail, since/until and follow.
 *
 * <h2>Writer</h2> {@link #write} encodes the entry and hands the whole line to the kernel in one write(2): the
 * flush policy is "every write call", like Docker, so a follower sees a line as soon as write returns and a crash
 * loses nothing already accepted. The engine reads container output in batches, so entries come in bursts from
 * one thread; the page cache absorbs them. Rotation happens before a write once the file has reached max-size
 * (Docker's check, so a file exceeds max-size by at most one line).
 * <p>
 * The writer never waits for a reader: readers take no lock the writer takes. They learn what is safe to read
 * from {@link Position}, a volatile (generation, size) pair republished after every write, and wait for news by
 * parking, the writer unparking only followers that are parked. While a rotation renames files,
 * {@link #rotations} is odd; a reader that opened files across a change of it closes them and opens again
 * (a sequence lock), so the writer does not even wait for a reader that is opening files, as Docker's fsopMu
 * would make it. Unlike Docker, a rotation does not wait for the previous compression either: compressions run
 * in the background one after the other, each finding its file by generation wherever later rotations moved it,
 * and put the .gz in place under {@link #renameLock}, which a rotation holds only while it renames.
 */
public final class JsonFileLog implements ContainerLog {

    private static final System.Logger LOG = System.getLogger(JsonFileLog.class.getName());

    /** How long an idle follower sleeps before it checks {@link LogSink#following()} again. */
    private static final long IDLE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * What readers may rely on: which file is at the current name (its generation counts rotations since open)
     * and how many of its bytes hold complete lines.
     */
    record Position(long generation, long size) {}

    /** A follower and whether it is parked waiting for the writer. */
    private static final class Follower {
        final Thread thread = Thread.currentThread();
        volatile boolean parked;
    }

    private final LogFileSet files;
    private final JsonFileOptions options;
    private final String name;

    private final ReentrantLock writeLock = new ReentrantLock();
    // Guarded by writeLock (the writer thread, and close):
    private final JsonLogEncoder encoder;
    /** Not a FileChannel: interrupting the engine's copy thread must not close the log under it. */
    private FileOutputStream out;
    private long size;
    private long generation;
    private long lastTime = Long.MIN_VALUE;
    private long rotateAt;

    /** Held while files are renamed: by a rotation, and by a compression putting its .gz in place. */
    private final ReentrantLock renameLock = new ReentrantLock();
    /** One background thread at most, started when there is something to compress and gone when idle. */
    private final ThreadPoolExecutor compressor;

    private volatile Position published;
    private final AtomicLong rotations = new AtomicLong();
    private volatile boolean closed;
    private final List<Follower> followers = new CopyOnWriteArrayList<>();

    private JsonFileLog(LogFileSet files, JsonFileOptions options, byte[] attrs, String name) throws IOException {
        this.files = files;
        this.options = options;
        this.name = name;
        this.encoder = new JsonLogEncoder(attrs);
        files.deleteStaleCompressions(); // left by a crash; their uncompressed files are still there
        this.out = openForAppend(files.current());
        this.size = Files.size(files.current());
        this.rotateAt = options.maxSize();
        this.published = new Position(0, size);
        this.compressor = options.compress() ? new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "json-file compress " + shortName());
                    t.setDaemon(true);
                    return t;
                }) : null;
    }

    /** Opens (creating when needed) the log of a container at {@code <containerDir>/<id>-json.log}. */
    public static JsonFileLog open(LogContext context, JsonFileOptions options) throws IOException {
        Files.createDirectories(context.containerDir());
        Path current = context.containerDir().resolve(context.containerId() + "-json.log");
        return new JsonFileLog(new LogFileSet(current, options.maxFiles()), options,
                LogAttributes.forContainer(options, context), context.containerId());
    }

    private static FileOutputStream openForAppend(Path file) throws IOException {
        try {
            // 0640 like Docker: the log may hold secrets a container printed.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        } catch (FileAlreadyExistsException e) {
            // appending to the log of an earlier run
        }
        return new FileOutputStream(file.toFile(), true);
    }

    // ---------------------------------------------------------------- writing

    @Override
    public void write(LogEntry entry) throws IOException {
        writeLock.lock();
        try {
            if (closed) {
                throw new IOException("cannot write because the output file was closed");
            }
            if (options.rotates() && size >= rotateAt) {
                rotate();
            }
            encoder.encode(entry);
            try {
                out.write(encoder.buffer(), 0, encoder.length());
            } catch (IOException e) {
                // Part of the line may be in the file (a full disk): count what is there, so that the sizes
                // readers trust stay true; the cut line will not decode and is skipped.
                size = Files.size(files.current());
                throw e;
            }
            size += encoder.length();
            lastTime = entry.timeNanos();
            published = new Position(generation, size);
        } finally {
            writeLock.unlock();
        }
        for (Follower f : followers) {
            if (f.parked) {
                LockSupport.unpark(f.thread);
            }
        }
    }

    /** Docker's rotation; called by the writer with the write lock held. */
    private void rotate() throws IOException {
        renameLock.lock();
        rotations.incrementAndGet(); // odd: file names are moving
        boolean moved = false;
        try {
            if (files.maxFiles() >= 2) {
                files.shiftRotated();
                Files.move(files.current(), files.rotated(1), StandardCopyOption.ATOMIC_MOVE);
            } else {
                // Readers may still be reading it, so it cannot be truncated: unlink it and start a new one.
                Files.deleteIfExists(files.current());
            }
            moved = true;
            FileOutputStream next = openForAppend(files.current());
            out.close();
            out = next;
            generation++;
            size = 0;
            rotateAt = options.maxSize();
            published = new Position(generation, 0);
        } catch (IOException e) {
            // Docker truncates the current file when a rotation fails and loses it; keeping on appending to the
            // file we have loses nothing. Try again after another max-size.
            rotateAt = size + options.maxSize();
            LOG.log(System.Logger.Level.WARNING, "error rotating log file " + files.current()
                    + (moved ? " (it stays as " + files.rotated(1) + ")" : "") + ": " + e);
            if (moved) {
                throw e;
            }
            return;
        } finally {
            rotations.incrementAndGet();
            renameLock.unlock();
        }
        if (compressor != null && files.maxFiles() >= 2) {
            long rotatedGeneration = generation - 1;
            long last = lastTime;
            compressor.execute(() -> compress(rotatedGeneration, last));
        }
    }

    /**
     * Compresses the file of {@code gen} (rotated, so complete): found, and in the end replaced by its .gz, at the
     * place the rotations since have moved it to. Skipped once it has been dropped.
     */
    private void compress(long gen, long lastTimeNanos) {
        Path tmp = files.compressing(gen);
        try {
            FileChannel in;
            renameLock.lock();
            try {
                int place = placeOf(gen);
                in = place < 0 ? null : openIfExists(files.rotated(place));
            } finally {
                renameLock.unlock();
            }
            if (in == null) {
                return; // dropped by later rotations, or removed
            }
            try (in) {
                GzipLogFiles.writeCompressed(in, tmp, lastTimeNanos);
            }
            renameLock.lock();
            try {
                int place = placeOf(gen);
                if (place < 0) {
                    Files.deleteIfExists(tmp);
                    return;
                }
                // The .gz first, then the uncompressed file: a reader trying both in that order finds one.
                Files.move(tmp, files.compressed(place), StandardCopyOption.ATOMIC_MOVE);
                Files.deleteIfExists(files.rotated(place));
            } finally {
                renameLock.unlock();
            }
            GzipLogFiles.fsyncDirectory(files.current().getParent());
        } catch (IOException | RuntimeException e) {
            // The uncompressed file stays and is read (and rotated) as it is.
            LOG.log(System.Logger.Level.WARNING, "error compressing log file after rotation: " + e);
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    /** Which rotated file ({@code .N}) the file of {@code gen} is now, or -1 if it was dropped; with renameLock. */
    private int placeOf(long gen) {
        long place = published.generation() - gen;
        return place >= 1 && place <= files.maxFiles() - 1 ? (int) place : -1;
    }

    private String shortName() {
        return name.length() > 12 ? name.substring(0, 12) : name;
    }

    @Override
    public void close() throws IOException {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            out.close();
        } finally {
            writeLock.unlock();
        }
        if (compressor != null) {
            // As Docker's Close: return once compressions in flight are done, so the files are final.
            compressor.shutdown();
            boolean interrupted = false;
            while (true) {
                try {
                    if (compressor.awaitTermination(1, TimeUnit.MINUTES)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        for (Follower f : followers) {
            LockSupport.unpark(f.thread); // they drain what is left and end
        }
    }

    @Override
    public void remove() throws IOException {
        close();
        files.deleteAll();
    }

    @Override
    public boolean readable() {
        return true;
    }

    @Override
    public Path path() {
        return files.current();
    }

    // ---------------------------------------------------------------- reading

    /** The files a read starts from, opened together so that no rotation came in between. */
    private record Snapshot(List<OpenedLogFile> rotated, FileChannel current, Position position) {
        void closeRotated() {
            for (OpenedLogFile f : rotated) {
                closeQuietly(f.channel());
            }
        }
    }

    private Snapshot snapshot(boolean withRotated) throws IOException {
        while (true) {
            long seq = rotations.get();
            if ((seq & 1) != 0) {
                LockSupport.parkNanos(20_000); // a rotation renames a few files: microseconds
                continue;
            }
            Position p = published;
            List<OpenedLogFile> rotated = new ArrayList<>();
            FileChannel current = null;
            try {
                current = openIfExists(files.current());
                if (withRotated) {
                    for (int n = files.maxFiles() - 1; n >= 1; n--) {
                        OpenedLogFile f = files.openRotated(n);
                        if (f != null) {
                            rotated.add(f);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                new Snapshot(rotated, current, p).closeRotated();
                closeQuietly(current);
                throw e;
            }
            if (rotations.get() == seq) {
                return new Snapshot(rotated, current, p);
            }
            new Snapshot(rotated, current, p).closeRotated();
            closeQuietly(current);
        }
    }

    private static FileChannel openIfExists(Path p) throws IOException {
        try {
            return FileChannel.open(p, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // read-only descriptor: nothing was pending
            }
        }
    }

    @Override
    public void read(LogReadOptions options, LogSink sink) throws IOException {
        try {
            readOrFollow(options, sink);
        } catch (ClosedByInterruptException e) {
            // The engine interrupted the reading thread (the client went away): the read is over, not failed.
            // The thread keeps its interrupt status.
        }
    }

    private void readOrFollow(LogReadOptions options, LogSink sink) throws IOException {
        EntryForwarder forwarder = new EntryForwarder(sink, options.sinceNanos(), options.untilNanos());
        LogLineReader reader = new LogLineReader(forwarder);
        // Docker reads no history at all for --tail 0, only what comes next.
        Snapshot snap = snapshot(options.tail() != 0);
        FileChannel current = snap.current();
        try {
            if (options.tail() != 0) {
                try {
                    readHistory(snap, options.tail(), options.sinceNanos(), reader);
                } finally {
                    snap.closeRotated();
                }
            }
            if (options.follow() && !forwarder.stopped()) {
                current = null; // follow() owns it now
                follow(snap.current(), snap.position(), reader, forwarder);
            }
        } finally {
            closeQuietly(current);
        }
    }

    /** One stretch of history to read: a byte range of a plain file, or a compressed file past some lines. */
    private record Segment(OpenedLogFile file, long start, long end, long skipLines) {}

    private void readHistory(Snapshot snap, int tail, long since, LogLineReader reader) throws IOException {
        long endOfCurrent = snap.position().size();
        if (tail < 0) {
            for (OpenedLogFile f : snap.rotated()) {
                readWhole(f, since, reader);
            }
            if (snap.current() != null) {
                reader.readRange(snap.current(), 0, endOfCurrent);
            }
            return;
        }
        // Newest first, from the end of each file backwards, until enough lines are found; then read forwards.
        List<Segment> segments = new ArrayList<>();
        int remaining = tail;
        if (snap.current() != null && endOfCurrent > 0) {
            TailScan.Tail t = TailScan.lastLines(snap.current(), endOfCurrent, remaining);
            segments.add(new Segment(new OpenedLogFile(snap.current(), false), t.start(), t.end(), 0));
            remaining -= t.lines();
        }
        for (int i = snap.rotated().size() - 1; i >= 0 && remaining > 0; i--) {
            OpenedLogFile f = snap.rotated().get(i);
            if (f.gzip()) {
                if (olderThan(f, since)) {
                    continue;
                }
                // A .gz cannot be read backwards: count its lines, then skip all but the last ones.
                long count;
                try (InputStream in = GzipLogFiles.inflate(f.channel())) {
                    count = reader.countLines(in);
                }
                long skip = Math.max(0, count - remaining);
                segments.add(new Segment(f, 0, -1, skip));
                remaining -= (int) (count - skip);
            } else {
                TailScan.Tail t = TailScan.lastLines(f.channel(), f.channel().size(), remaining);
                segments.add(new Segment(f, t.start(), t.end(), 0));
                remaining -= t.lines();
            }
        }
        Collections.reverse(segments);
        for (Segment s : segments) {
            if (s.file().gzip()) {
                try (InputStream in = GzipLogFiles.inflate(s.file().channel())) {
                    reader.readStream(in, s.skipLines());
                }
            } else {
                reader.readRange(s.file().channel(), s.start(), s.end());
            }
        }
    }

    private static void readWhole(OpenedLogFile f, long since, LogLineReader reader) throws IOException {
        if (!f.gzip()) {
            reader.readRange(f.channel(), 0, -1);
        } else if (!olderThan(f, since)) {
            try (InputStream in = GzipLogFiles.inflate(f.channel())) {
                reader.readStream(in, 0);
            }
        }
    }

    /** Docker skips a compressed file whose header says its last entry is before --since. */
    private static boolean olderThan(OpenedLogFile f, long since) throws IOException {
        if (since == 0) {
            return false;
        }
        long last = GzipLogFiles.lastTime(f.channel());
        return last != Long.MIN_VALUE && last < since;
    }

    /**
     * Follows the log from {@code at} in {@code ch} (the file of generation {@code at.generation()}). Across a
     * rotation the old descriptor still reads the old file, now complete, to its end; then the next generation is
     * opened under its new name (the current name, or {@code .N}/{@code .N.gz} if the reader fell behind by
     * several rotations), so nothing is lost or read twice as long as the files are kept.
     */
    private void follow(FileChannel ch, Position at, LogLineReader reader, EntryForwarder fwd) throws IOException {
        long gen = at.generation();
        long off = at.size();
        Follower me = new Follower();
        followers.add(me);
        try {
            while (!fwd.stopped()) {
                Position p = published;
                if (p.generation() == gen) {
                    if (ch != null && p.size() > off) {
                        long read = reader.readRange(ch, off, p.size());
                        if (read != off) {
                            off = read;
                            continue;
                        }
                        // no complete line in there (only after a failed write): wait for the next one
                    }
                    if (closed && published == p) {
                        return; // the writer is gone and everything it wrote was read
                    }
                    long until = fwd.untilNanos();
                    long idle = IDLE_CHECK_NANOS;
                    if (until != 0) {
                        long left = until - System.currentTimeMillis() * 1_000_000L;
                        if (left <= 0) {
                            return;
                        }
                        idle = Math.min(idle, left);
                    }
                    if (!fwd.sink().following() || Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    me.parked = true;
                    if (published == p && !closed) { // re-check after announcing: the writer may just have written
                        LockSupport.parkNanos(this, idle);
                    }
                    me.parked = false;
                    continue;
                }
                // The file we are in was rotated: all of it is written, so read it to its end.
                if (ch != null) {
                    reader.readRange(ch, off, -1);
                    closeQuietly(ch);
                    ch = null;
                    if (fwd.stopped()) {
                        return;
                    }
                }
                long next = gen + 1;
                Generation g = openGeneration(next);
                gen = g.generation();
                off = 0;
                if (g.file() != null && g.file().gzip()) {
                    try (OpenedLogFile f = g.file(); InputStream in = GzipLogFiles.inflate(f.channel())) {
                        reader.readStream(in, 0);
                    }
                } else if (g.file() != null) {
                    ch = g.file().channel();
                }
            }
        } finally {
            followers.remove(me);
            closeQuietly(ch);
        }
    }

    private record Generation(long generation, OpenedLogFile file) {}

    /**
     * Opens the file of generation {@code wanted} wherever rotations have moved it by now. If it was dropped
     * already (more than max-file rotations behind), goes on with the oldest one kept, as Docker does, and says so.
     */
    private Generation openGeneration(long wanted) throws IOException {
        long gen = wanted;
        while (true) {
            long seq = rotations.get();
            if ((seq & 1) != 0) {
                LockSupport.parkNanos(20_000);
                continue;
            }
            Position p = published;
            long age = p.generation() - gen;
            if (age > files.maxFiles() - 1) {
                long oldest = p.generation() - (files.maxFiles() - 1);
                LOG.log(System.Logger.Level.WARNING, "file rotations were missed while following logs of "
                        + shortName() + "; " + (oldest - gen) + " files of log messages have been skipped over");
                gen = oldest;
                age = p.generation() - gen;
            }
            OpenedLogFile f;
            if (age <= 0) {
                FileChannel c = openIfExists(files.current());
                f = c == null ? null : new OpenedLogFile(c, false);
            } else {
                f = files.openRotated((int) age);
            }
            if (rotations.get() == seq) {
                return new Generation(gen, f);
            }
            if (f != null) {
                f.close();
            }
        }
    }
}
