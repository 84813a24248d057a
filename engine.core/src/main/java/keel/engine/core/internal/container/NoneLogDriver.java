package keel.engine.core.internal.container;

import java.nio.file.Path;
import java.util.Map;

import keel.engine.api.errors.EngineException;
import keel.engine.api.logging.ContainerLog;
import keel.engine.api.logging.LogContext;
import keel.engine.api.logging.LogDriver;
import keel.engine.api.logging.LogEntry;
import keel.engine.api.logging.LogReadOptions;
import keel.engine.api.logging.LogSink;

/**
 * Docker's {@code none} log driver: output is dropped (attached clients still see it) and {@code docker logs}
 * refuses. Built into the engine, so {@code --log-driver none} works without any log bundle.
 */
final class NoneLogDriver implements LogDriver {

    static final String NAME = "none";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(Map<String, String> options) {
        // Docker accepts (and ignores) any option for none.
    }

    @Override
    public ContainerLog open(LogContext context) {
        return new ContainerLog() {
            @Override
            public void write(LogEntry entry) {}

            @Override
            public boolean readable() {
                return false;
            }

            @Override
            public void read(LogReadOptions options, LogSink sink) {
                throw notReadable();
            }

            @Override
            public Path path() {
                return null;
            }

            @Override
            public void remove() {}

            @Override
            public void close() {}
        };
    }

    /** Docker's ErrReadLogsNotSupported (501). */
    static EngineException notReadable() {
        return new EngineException(EngineException.Kind.NOT_IMPLEMENTED,
                "configured logging driver does not support reading");
    }
}
