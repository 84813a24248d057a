package keel.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One container as a daemon would serve it to the CLI: create answers its ID, attach upgrades the connection and
 * (once started) sends {@link #output}, wait answers when {@link #exit} completes, start/kill/resize/remove answer
 * 204. What the client sent on the attach connection is kept in {@link #stdin}; {@link #stdinEof} completes when
 * the client half-closed it. With {@link #echo} the container copies its stdin to its stdout until EOF, then
 * exits 0 (like {@code cat}); otherwise it exits once {@link #exit} is completed by the test.
 */
final class FakeContainer {

    static final String ID = "4f1e2c3d5a6b7c8d9e0f11223344556677889900aabbccddeeff001122334455";

    final FakeDaemon daemon;
    volatile byte[] output = new byte[0];
    volatile boolean echo;
    volatile boolean tty;
    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    final ByteArrayOutputStream stdin = new ByteArrayOutputStream();
    final CompletableFuture<Boolean> stdinEof = new CompletableFuture<>();
    final CompletableFuture<Boolean> attachClosed = new CompletableFuture<>();
    final CountDownLatch started = new CountDownLatch(1);

    FakeContainer(FakeDaemon daemon) {
        this.daemon = daemon;
        daemon.on("POST /containers/create", FakeDaemon.Response.json(201, "{\"Id\":\"" + ID + "\",\"Warnings\":[]}"));
        daemon.on("POST /containers/" + ID + "/start", r -> {
            started.countDown();
            return FakeDaemon.Response.text(204, null, "");
        });
        daemon.on("POST /containers/" + ID + "/wait", r -> FakeDaemon.Response.deferred(
                () -> "{\"Error\":null,\"StatusCode\":" + exit.get(30, TimeUnit.SECONDS) + "}"));
        daemon.on("POST /containers/" + ID + "/kill", FakeDaemon.Response.text(204, null, ""));
        daemon.on("POST /containers/" + ID + "/resize", FakeDaemon.Response.text(200, "text/plain", ""));
        daemon.on("POST /containers/" + ID + "/attach", r -> FakeDaemon.Response.hijack(this::attach));
    }

    /** The kill requests' queries ("signal=INT"), in order. */
    List<String> kills() {
        List<String> out = new java.util.ArrayList<>();
        for (FakeDaemon.Request r : daemon.apiRequests()) {
            if (r.path().equals("/containers/" + ID + "/kill")) {
                out.add(r.query());
            }
        }
        return out;
    }

    private void attach(FakeDaemon.Request req, InputStream in, OutputStream out,
            java.nio.channels.SocketChannel ch) throws Exception {
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (stdin) {
                        stdin.write(buf, 0, n);
                    }
                    if (echo) {
                        started.await(10, TimeUnit.SECONDS);
                        synchronized (out) {
                            out.write(tty ? java.util.Arrays.copyOf(buf, n) : frame(1, java.util.Arrays.copyOf(buf, n)));
                        }
                    }
                }
                stdinEof.complete(true);
            } catch (IOException | InterruptedException e) {
                stdinEof.complete(false);
            }
            attachClosed.complete(true);
        }, "fake-attach-stdin");
        reader.setDaemon(true);
        reader.start();
        started.await(10, TimeUnit.SECONDS);
        synchronized (out) {
            out.write(output);
        }
        if (echo) {
            stdinEof.get(10, TimeUnit.SECONDS);
            exit.complete(0);
        }
        try {
            exit.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return;
        }
        // The container exited: its output ends, the daemon closes the stream (once it has seen the client's EOF,
        // which a keel without stdin to send sends at once, so the test can check it).
        try {
            stdinEof.get(2, TimeUnit.SECONDS);
        } catch (Exception notYet) {
            // close anyway
        }
        ch.close();
    }

    /** stdcopy framing: stream id, three zero bytes, big-endian length, payload. */
    static byte[] frame(int stream, byte[] payload) {
        byte[] f = new byte[8 + payload.length];
        f[0] = (byte) stream;
        f[4] = (byte) (payload.length >>> 24);
        f[5] = (byte) (payload.length >>> 16);
        f[6] = (byte) (payload.length >>> 8);
        f[7] = (byte) payload.length;
        System.arraycopy(payload, 0, f, 8, payload.length);
        return f;
    }

    static byte[] frame(int stream, String payload) {
        return frame(stream, payload.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    String stdinText() {
        synchronized (stdin) {
            return stdin.toString(StandardCharsets.UTF_8);
        }
    }
}
