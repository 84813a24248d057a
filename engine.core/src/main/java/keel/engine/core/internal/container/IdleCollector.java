package keel.engine.core.internal.container;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Gives memory back once the daemon is idle after a burst of work. A burst (fifty containers started at once, a
 * large load) grows the heap, and the serial collector shrinks it only after a full collection (to at most
 * MaxHeapFreeRatio free, as bin/keeld sets it), which a quiet daemon never needs to run: without this, the
 * resident size stays at the burst's high-water mark. One full collection when the API has been quiet for a few
 * seconds after activity brings it back to the live set; nothing runs while the daemon stays idle (G1's
 * G1PeriodicGCInterval does the same for G1).
 */
final class IdleCollector implements AutoCloseable {

    /** How long the API must have been quiet after activity. */
    static final long QUIET_SECONDS = 3;

    private final LongAdder activity = new LongAdder();
    private final ScheduledExecutorService timer;
    private long seen;
    private boolean dirty;

    IdleCollector() {
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keel-idle-gc");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, QUIET_SECONDS, QUIET_SECONDS, TimeUnit.SECONDS);
    }

    /** An API call came in. */
    void touch() {
        activity.increment();
    }

    private void check() {
        long now = activity.sum();
        if (now != seen) {
            seen = now;
            dirty = true; // active during the last period: wait for a quiet one
        } else if (dirty) {
            dirty = false;
            System.gc();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
