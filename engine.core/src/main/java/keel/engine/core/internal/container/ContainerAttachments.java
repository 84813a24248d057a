package keel.engine.core.internal.container;

import java.io.IOException;
import java.io.OutputStream;

import keel.engine.api.container.AttachOptions;
import keel.engine.api.container.Attachment;
import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.HostConfig.LogConfig;
import keel.engine.api.container.LogOptions;
import keel.engine.api.container.StreamSink;
import keel.engine.api.errors.EngineException;
import keel.engine.api.logging.ContainerLog;
import keel.engine.api.logging.LogDriver;
import keel.engine.core.internal.container.attach.AttachInput;
import keel.engine.core.internal.container.attach.AttachedClient;
import keel.engine.core.internal.container.attach.DetachKeys;

/**
 * {@code docker attach} and {@code docker logs}: a client's live view of a container's output (and its input),
 * and the log read back. Live output comes from the pump through {@link
 * keel.engine.core.internal.container.attach.ContainerStreams}; logs are read from the run's open log while the
 * container runs (so that a follow can follow) or from a log opened for the read otherwise.
 */
final class ContainerAttachments {

    private final ContainerEngine engine;

    ContainerAttachments(ContainerEngine engine) {
        this.engine = engine;
    }

    Attachment attach(String ref, AttachOptions options, StreamSink sink) {
        byte[] keys;
        try {
            keys = DetachKeys.parse(options.detachKeys());
        } catch (IllegalArgumentException e) {
            throw EngineException.invalid("Invalid detach keys (" + options.detachKeys() + ") provided");
        }
        ContainerRecord r = engine.lookup(ref);
        ContainerConfig config;
        synchronized (r) {
            if (r.paused) {
                throw EngineException.conflict("container " + ref
                        + " is paused, unpause the container before attach");
            }
            if (r.restarting) {
                throw EngineException.conflict("container " + ref
                        + " is restarting, wait until the container is running");
            }
            config = r.config;
        }
        if (options.logs()) {
            try {
                replay(r, options, sink);
            } catch (EngineException e) {
                ContainerEngine.writeQuietly(sink, 1, ("Error attaching: " + e.getMessage() + "\n").getBytes());
                ContainerEngine.endQuietly(sink);
                return ContainerEngine.closedAttachment();
            }
        }
        if (!options.stream()) {
            ContainerEngine.endQuietly(sink);
            return ContainerEngine.closedAttachment();
        }
        boolean tty = Boolean.TRUE.equals(config.tty());
        AttachedClient client;
        Run exiting = null;
        synchronized (r) {
            client = r.streams.attach(sink, options.stdout(), options.stderr());
            if (r.run != null && r.run.exiting) {
                exiting = r.run;
            }
        }
        if (exiting != null) {
            exiting.output.finished().thenRun(client::end);
        }
        OutputStream in = null;
        if (options.stdin() && Boolean.TRUE.equals(config.openStdin())) {
            in = new AttachInput(stdinTarget(r, client), tty ? keys : null,
                    Boolean.TRUE.equals(config.stdinOnce()) && !tty);
        }
        OutputStream input = in;
        return new Attachment() {
            @Override
            public OutputStream stdin() {
                return input;
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    private AttachInput.Target stdinTarget(ContainerRecord r, AttachedClient client) {
        return new AttachInput.Target() {
            @Override
            public OutputStream stdin() throws IOException {
                return awaitStdin(r, client);
            }

            @Override
            public void closeStdin() throws IOException {
                OutputStream s = awaitStdin(r, client);
                if (s != null) {
                    s.close();
                }
            }

            @Override
            public void detach() {
                client.close();
            }
        };
    }

    private static OutputStream awaitStdin(ContainerRecord r, AttachedClient client) throws IOException {
        return r.streams.awaitStdin(() -> client.ended().isDone());
    }

    /** Writes the container's log so far to an attaching client ({@code docker attach --logs}). */
    private void replay(ContainerRecord r, AttachOptions options, StreamSink sink) {
        readLog(r, new LogOptions(options.stdout(), options.stderr(), false, false, -1, 0, 0), sink);
    }

    void logs(String ref, LogOptions options, StreamSink sink) {
        if (!options.stdout() && !options.stderr()) {
            throw EngineException.invalid("You must choose at least one stream");
        }
        ContainerRecord r = engine.lookup(ref);
        synchronized (r) {
            if (r.removalInProgress || r.dead) {
                throw EngineException.conflict("can not get logs from container which is dead or marked for removal");
            }
        }
        readLog(r, options, sink);
        ContainerEngine.endQuietly(sink);
    }

    private void readLog(ContainerRecord r, LogOptions options, StreamSink sink) {
        LogConfig lc = engine.logConfig(r);
        if (lc.type().equals(NoneLogDriver.NAME)) {
            throw NoneLogDriver.notReadable();
        }
        Run run;
        synchronized (r) {
            run = r.run;
        }
        ContainerLog log = run == null ? null : run.log;
        boolean own = log == null;
        if (own) {
            LogDriver d = engine.logDriver(lc.type());
            if (d == null) {
                throw EngineException.unavailable("log driver " + lc.type() + " is not available");
            }
            try {
                log = d.open(engine.logContext(r, lc));
            } catch (IOException e) {
                throw EngineException.system("cannot open the log of container " + r.id + ": " + e.getMessage(), e);
            }
        }
        try {
            if (!log.readable()) {
                throw NoneLogDriver.notReadable();
            }
            boolean follow = options.follow() && !own;
            Run followed = run;
            log.read(new keel.engine.api.logging.LogReadOptions(options.tail(), options.sinceNanos(),
                    options.untilNanos(), follow), new LogStreamSink(options, sink,
                            () -> followed != null && !followed.output.finished().isDone()));
        } catch (IOException e) {
            throw EngineException.system("reading the log of container " + r.id + " failed: " + e.getMessage(), e);
        } finally {
            if (own) {
                ContainerEngine.closeQuietly(log);
            }
        }
    }
}
