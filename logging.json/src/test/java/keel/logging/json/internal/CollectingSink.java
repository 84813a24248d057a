package keel.logging.json.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import keel.engine.api.logging.LogEntry;
import keel.engine.api.logging.LogSink;

/** A sink that keeps what it is given, stops when told to, and follows while {@link #following} is set. */
class CollectingSink implements LogSink {

    final List<LogEntry> entries = new ArrayList<>();
    volatile boolean following = true;
    private final Predicate<LogEntry> stopAfter;

    CollectingSink() {
        this(e -> false);
    }

    CollectingSink(Predicate<LogEntry> stopAfter) {
        this.stopAfter = stopAfter;
    }

    @Override
    public synchronized boolean accept(LogEntry entry) {
        entries.add(entry);
        return !stopAfter.test(entry);
    }

    @Override
    public boolean following() {
        return following;
    }

    synchronized List<String> lines() {
        List<String> out = new ArrayList<>();
        for (LogEntry e : entries) {
            out.add(new String(e.line(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }
}
