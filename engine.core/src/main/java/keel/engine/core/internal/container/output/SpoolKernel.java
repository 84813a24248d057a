package keel.engine.core.internal.container.output;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The kernel calls the output pump makes: inotify(7) on spool files, an eventfd(2) to wake the pump, and
 * fallocate(2) to give consumed spool space back. One narrow interface, so the pump above it can be read without
 * the libc details.
 */
public interface SpoolKernel {

    /** What {@link Watcher#await} returns in its array when events were lost: every spool must be looked at. */
    int OVERFLOW = -1;

    /** An inotify instance and a wake-up eventfd, waited on together by one thread. */
    Watcher newWatcher() throws IOException;

    /**
     * Deallocates {@code [offset, offset + length)} of {@code file} (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE):
     * the file keeps its size and the writer's O_APPEND position, reads of the range return zeros, and the blocks
     * return to the filesystem.
     *
     * @throws java.io.IOException with EOPNOTSUPP when the filesystem cannot punch holes
     */
    void punchHole(Path file, long offset, long length) throws IOException;

    /** A set of watched files and a way to wait for them. */
    interface Watcher extends Closeable {

        /** Watches {@code file} for writes (IN_MODIFY); returns the watch descriptor. */
        int watch(Path file) throws IOException;

        /** Stops watching; the descriptor may be reused by the kernel afterwards. */
        void unwatch(int wd);

        /**
         * Waits until a watched file was written, {@link #wake} was called, or {@code timeoutMillis} passed (-1:
         * no limit; 0: just look); returns the descriptors that fired (with {@link SpoolKernel#OVERFLOW} when the
         * kernel's queue overflowed), possibly none.
         */
        int[] await(long timeoutMillis) throws IOException;

        /** Makes a waiting (or the next) {@link #await} return; callable from any thread. */
        void wake();

        @Override
        void close();
    }
}
