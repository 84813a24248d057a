package keel.engine.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.rest.internal.DockerApi;
import keel.engine.rest.internal.server.ApiServer;
import keel.engine.rest.internal.server.ListenAddress;

/** The listening side: socket file mode, group and life cycle, loopback TCP, and the DS component. */
class ApiServerSocketTest {

    @TempDir
    Path dir;

    private static PosixFileAttributes attrs(Path p) throws IOException {
        return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static List<Path> children(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }

    @Test
    void socketIsMode0660InItsGroupAndGoneAfterClose() throws Exception {
        Path socket;
        try (ApiFixture api = new ApiFixture(dir, "daemon")) {
            socket = api.socket;
            PosixFileAttributes a = attrs(socket);
            assertTrue(a.isOther(), "a socket");
            assertEquals("rw-rw----", PosixFilePermissions.toString(a.permissions()));
            assertEquals("root", a.owner().getName());
            assertEquals("daemon", a.group().getName());
            // The staging directory used to bind privately is gone.
            assertEquals(List.of(socket), children(socket.getParent()));
            assertEquals(200, api.http.get("/_ping").status());
        }
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void missingGroupFallsBackToRoot() throws Exception {
        try (ApiFixture api = new ApiFixture(dir, "no-such-group-keel-test")) {
            assertEquals("root", attrs(api.socket).group().getName());
            assertEquals("rw-rw----", PosixFilePermissions.toString(attrs(api.socket).permissions()));
        }
    }

    @Test
    void staleSocketIsReplaced() throws Exception {
        Path socket = dir.resolve("run/keel.sock");
        Files.createDirectories(socket.getParent());
        // Closing a bound Unix server socket leaves its file behind: what a crashed daemon leaves.
        try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            old.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        try (ApiFixture api = new ApiFixture(dir)) {
            assertEquals(200, api.http.get("/_ping").status());
        }
    }

    @Test
    void liveSocketOfAnotherDaemonIsLeftAlone() throws Exception {
        Path socket = dir.resolve("run/keel.sock");
        Files.createDirectories(socket.getParent());
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(socket));
            IOException e = assertThrows(IOException.class, () -> new ApiFixture(dir).close());
            assertTrue(e.getMessage().contains("another daemon is listening"), e.getMessage());
            assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "the other daemon's socket stays");
            assertEquals(List.of(socket), children(socket.getParent()), "no staging directory left");
        }
    }

    @Test
    void regularFileAtTheSocketPathIsLeftAlone() throws Exception {
        Path socket = dir.resolve("run/keel.sock");
        Files.createDirectories(socket.getParent());
        Files.writeString(socket, "precious");
        IOException e = assertThrows(IOException.class, () -> new ApiFixture(dir).close());
        assertTrue(e.getMessage().contains("not a socket"), e.getMessage());
        assertEquals("precious", Files.readString(socket));
    }

    @Test
    void loopbackTcpServesTheSameApi() throws Exception {
        ListenAddress tcp = new ListenAddress.LoopbackTcp(InetAddress.getLoopbackAddress(), 0);
        Path socket = dir.resolve("keel.sock");
        FakeSystemService system = new FakeSystemService();
        DockerApi api = new DockerApi(() -> system, () -> null, () -> null, () -> null, () -> null);
        try (ApiServer server = new ApiServer(List.of(new ListenAddress.UnixSocket(socket), tcp), "keel",
                api.handler(), api.errorHandler())) {
            server.start();
            int port = server.localPort(tcp);
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1.50/_ping")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("OK", r.body());
            assertEquals("1.50", r.headers().firstValue("Api-Version").orElseThrow());
            assertEquals(List.of("unix://" + socket, "tcp://127.0.0.1:" + port), server.listening());
        }
    }

    @Test
    void listenAddressesAreParsedAndNonLoopbackTcpRefused() {
        assertEquals(new ListenAddress.UnixSocket(Path.of("/run/keel.sock")),
                ListenAddress.parse("unix:///run/keel.sock"));
        ListenAddress.LoopbackTcp local = (ListenAddress.LoopbackTcp) ListenAddress.parse("tcp://127.0.0.1:2376");
        assertEquals(2376, local.port());
        assertEquals(2375, ((ListenAddress.LoopbackTcp) ListenAddress.parse("tcp://localhost")).port());
        assertTrue(((ListenAddress.LoopbackTcp) ListenAddress.parse("tcp://[::1]:9999")).address()
                .isLoopbackAddress());
        for (String refused : List.of("tcp://0.0.0.0:2375", "tcp://192.0.2.10:2375", "tcp://:2375",
                "tcp://[::]:2375")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ListenAddress.parse(refused), refused);
            assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        }
        for (String bad : List.of("unix://relative.sock", "fd://", "http://127.0.0.1:80", "", "tcp://127.0.0.1/x",
                "unix:///" + "d/".repeat(60) + "keel.sock")) {
            assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(bad), bad);
        }
    }

    /** The DS component as SCR drives it: defaults-shaped config, references set by field, then deactivate. */
    @Test
    void componentServesUntilDeactivatedAndAnswers503WithoutImages() throws Exception {
        Path socket = dir.resolve("sub/dir/api.sock");
        DockerApiServer component = new DockerApiServer();
        set(component, "system", new FakeSystemService());
        component.activate(config(new String[] {"unix://" + socket}, "keel"));
        try {
            UnixHttpClient http = new UnixHttpClient(socket);
            assertEquals(200, http.get("/_ping").status());
            assertEquals(503, http.get("/images/json").status());
            set(component, "images", new FakeImageService());
            assertEquals(200, http.get("/images/json").status());
            set(component, "images", null);
            assertEquals(503, http.get("/images/json").status());
            assertEquals(503, http.get("/plugins").status());
        } finally {
            component.deactivate();
        }
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void componentRefusesABadHost() throws Exception {
        DockerApiServer component = new DockerApiServer();
        set(component, "system", new FakeSystemService());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> component.activate(config(new String[] {"tcp://0.0.0.0:2375"}, "keel")));
        assertTrue(e.getMessage().contains("non-loopback"), e.getMessage());
    }

    private static void set(Object target, String field, Object value) throws Exception {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    private static ApiConfig config(String[] hosts, String group) {
        return new ApiConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ApiConfig.class;
            }

            @Override
            public String[] hosts() {
                return hosts;
            }

            @Override
            public String socket_group() {
                return group;
            }
        };
    }
}
