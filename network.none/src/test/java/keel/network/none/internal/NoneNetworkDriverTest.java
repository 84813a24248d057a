package keel.network.none.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jnr.ffi.LibraryLoader;
import keel.engine.api.network.EndpointSpec;
import keel.engine.api.network.NetworkSpec;
import keel.engine.api.network.Sandbox;
import keel.network.none.NoneNetworkDriver;

/** Joins a real network namespace (made by the test with iproute2) and checks that lo came up, and only lo. */
class NoneNetworkDriverTest {

    public interface Setns {
        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    private static final Setns LIBC = LibraryLoader.create(Setns.class).load("c");
    private static final int CLONE_NEWNET = 0x40000000;

    private String ns;

    @BeforeEach
    void makeNamespace() throws Exception {
        ns = "keel-none-test-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(0, new ProcessBuilder("ip", "netns", "add", ns).inheritIO().start().waitFor());
    }

    @AfterEach
    void removeNamespace() throws Exception {
        new ProcessBuilder("ip", "netns", "delete", ns).inheritIO().start().waitFor();
    }

    @Test
    void bringsLoopbackUpInTheSandboxOnly() throws Exception {
        assertTrue(ipLinkInNamespace().contains("state DOWN") || !ipLinkInNamespace().contains("UP"),
                "a new namespace has lo down");
        Path path = Path.of("/run/netns", ns);
        Sandbox sandbox = new Sandbox() {
            @Override
            public String id() {
                return ns;
            }

            @Override
            public Path path() {
                return path;
            }

            @Override
            public <T> T call(Callable<T> action) throws Exception {
                // A thread of its own enters the namespace, as runtime.native's sandboxes do.
                return CompletableFuture.supplyAsync(() -> {
                    int fd = LIBC.open(path.toString(), 0);
                    if (fd < 0 || LIBC.setns(fd, CLONE_NEWNET) != 0) {
                        throw new IllegalStateException("setns failed");
                    }
                    LIBC.close(fd);
                    try {
                        return action.call();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, r -> new Thread(r).start()).get();
            }
        };
        new NoneNetworkDriver().join(new NetworkSpec("n", "none", "none", java.util.Map.of(), java.util.List.of(),
                false, java.util.Map.of()), new EndpointSpec("e", "c", "c", null, null, java.util.List.of(),
                        java.util.List.of()), sandbox);
        String links = ipLinkInNamespace();
        assertTrue(links.contains("lo: <LOOPBACK,UP,LOWER_UP>"), links);
        assertEquals(1, links.lines().filter(l -> l.matches("^\\d+: .*")).count(), links);
        String hostLo = run("ip", "link", "show", "lo");
        assertTrue(hostLo.contains("UP"), "the host's own lo is untouched: " + hostLo);
    }

    private String ipLinkInNamespace() throws Exception {
        return run("ip", "netns", "exec", ns, "ip", "link", "show");
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
