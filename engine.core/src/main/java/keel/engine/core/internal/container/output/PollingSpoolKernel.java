package keel.engine.core.internal.container.output;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The fallback when libc cannot be bound: no inotify, so the pump looks at every spool at a fixed interval; no
 * hole punching, so spool space is given back only when a container's spools are truncated at its next start.
 */
public final class PollingSpoolKernel implements SpoolKernel {

    private final long intervalMillis;

    public PollingSpoolKernel(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    @Override
    public Watcher newWatcher() {
        return new Watcher() {
            private boolean woken;

            @Override
            public int watch(Path file) {
                return 0;
            }

            @Override
            public void unwatch(int wd) {}

            @Override
            public synchronized int[] await(long timeoutMillis) throws IOException {
                long wait = timeoutMillis < 0 ? intervalMillis : Math.min(intervalMillis, timeoutMillis);
                if (!woken && wait > 0) {
                    try {
                        wait(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted");
                    }
                }
                woken = false;
                return new int[] {OVERFLOW};
            }

            @Override
            public synchronized void wake() {
                woken = true;
                notifyAll();
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public void punchHole(Path file, long offset, long length) throws IOException {
        throw new IOException("punching holes is not available without libc");
    }
}
