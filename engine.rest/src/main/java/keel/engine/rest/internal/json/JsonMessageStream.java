package keel.engine.rest.internal.json;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import keel.engine.api.image.ProgressListener;

/**
 * Docker's progress stream (load, import, pull): one JSON object per message followed by {@code \r\n}, each sent
 * and flushed as it is produced so the CLI can draw progress bars while the work goes on.
 *
 * <ul>
 * <li>progress: {@code {"status":"Loading layer","progressDetail":{"current":N,"total":T},"progress":"[=>  ] ...",
 * "id":"abcd1234abcd"}}</li>
 * <li>a line for the user: {@code {"stream":"Loaded image: busybox:latest\n"}}</li>
 * <li>a status: {@code {"status":"sha256:..."}}</li>
 * <li>a failure after the stream started (the status line already said 200):
 * {@code {"errorDetail":{"message":"..."},"error":"..."}}, which the CLI turns into a non-zero exit.</li>
 * </ul>
 *
 * Progress of one id is sent at most every {@value #PROGRESS_INTERVAL_MS} ms (plus its first and last update), as
 * dockerd rate-limits its progress readers; in quiet mode progress is dropped and only lines and statuses remain.
 * A failed write (the client went away) throws, which aborts the operation producing the progress.
 */
public final class JsonMessageStream implements ProgressListener, Closeable {
    static final long PROGRESS_INTERVAL_MS = 100;
    private static final byte[] CRLF = {'\r', '\n'};

    private final OutputStream out;
    private final DockerJson json;
    private final boolean quiet;
    private final Map<String, Long> lastProgress = new HashMap<>();
    private final Set<String> lines = new HashSet<>();
    private boolean started;

    public JsonMessageStream(OutputStream out, DockerJson json, boolean quiet) {
        this.out = out;
        this.json = json;
        this.quiet = quiet;
    }

    @Override
    public synchronized void progress(String id, String status, long current, long total) {
        if (quiet) {
            return;
        }
        long now = System.nanoTime() / 1_000_000;
        Long last = lastProgress.get(id);
        boolean done = total > 0 && current >= total;
        if (last != null && !done && now - last < PROGRESS_INTERVAL_MS) {
            return;
        }
        lastProgress.put(id, now);
        ObjectNode m = json.object();
        m.put("status", status);
        ObjectNode detail = m.putObject("progressDetail");
        // Go's omitempty: zero counters are left out.
        if (current != 0) {
            detail.put("current", current);
        }
        if (total != 0) {
            detail.put("total", total);
        }
        String bar = ProgressBar.render(current, total);
        if (!bar.isEmpty()) {
            m.put("progress", bar);
        }
        if (id != null && !id.isEmpty()) {
            m.put("id", id);
        }
        send(m);
    }

    /** A line for the user; sent in quiet mode too (it is how {@code Loaded image: ...} reaches the CLI). */
    @Override
    public synchronized void message(String line) {
        lines.add(line);
        ObjectNode m = json.object();
        m.put("stream", line.endsWith("\n") ? line : line + "\n");
        send(m);
    }

    /** Whether {@link #message} already sent this line. */
    public synchronized boolean sent(String line) {
        return lines.contains(line);
    }

    /** A status line, e.g. the new image's ID at the end of an import. */
    public synchronized void status(String status) {
        ObjectNode m = json.object();
        m.put("status", status);
        send(m);
    }

    /** Reports a failure in the stream, where the client looks for it once the response has started. */
    public synchronized void error(String message) {
        ObjectNode m = json.object();
        m.putObject("errorDetail").put("message", message);
        m.put("error", message);
        send(m);
    }

    /** Whether anything was sent, i.e. whether a failure can still be answered with its own HTTP status. */
    public synchronized boolean started() {
        return started;
    }

    private void send(ObjectNode message) {
        byte[] body = json.compact(message);
        byte[] line = new byte[body.length + CRLF.length];
        System.arraycopy(body, 0, line, 0, body.length);
        System.arraycopy(CRLF, 0, line, body.length, CRLF.length);
        try {
            started = true;
            out.write(line);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("client stopped reading the progress stream", e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
