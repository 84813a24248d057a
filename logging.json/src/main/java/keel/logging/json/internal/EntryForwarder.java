package keel.logging.json.internal;

import java.io.IOException;

import keel.engine.api.logging.LogEntry;
import keel.engine.api.logging.LogSink;

/**
 * Passes decoded entries to the sink through the since/until window, as Docker's log forwarder does: entries
 * before {@code since} are dropped until the first one at or after it, and from then on none is (timestamps need
 * not be monotonic); the first entry after {@code until} ends the read. Once stopped (the window ended or the sink
 * said no more), it stays stopped.
 */
public final class EntryForwarder {

    private final LogSink sink;
    private final long until;
    private long since;
    private boolean stopped;

    /** @param sinceNanos 0 for no lower bound; @param untilNanos 0 for no upper bound */
    public EntryForwarder(LogSink sink, long sinceNanos, long untilNanos) {
        this.sink = sink;
        this.since = sinceNanos;
        this.until = untilNanos;
    }

    /** Offers one entry; returns false once reading must stop. */
    public boolean offer(LogEntry e) throws IOException {
        if (stopped) {
            return false;
        }
        if (since != 0) {
            if (e.timeNanos() < since) {
                return true;
            }
            since = 0;
        }
        if (until != 0 && e.timeNanos() > until) {
            stopped = true;
            return false;
        }
        if (!sink.accept(e)) {
            stopped = true;
        }
        return !stopped;
    }

    public boolean stopped() {
        return stopped;
    }

    long untilNanos() {
        return until;
    }

    LogSink sink() {
        return sink;
    }
}
