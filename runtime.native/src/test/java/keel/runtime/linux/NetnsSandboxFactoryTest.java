package keel.runtime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import keel.engine.api.network.Sandbox;
import keel.engine.api.oci.Linux;
import keel.runtime.linux.internal.rootfs.MountInfo;
import keel.runtime.linux.internal.syscall.JnrLinuxKernel;

/** Network namespaces kept by bind mounts, entered by Sandbox.call and joined by containers. */
class NetnsSandboxFactoryTest extends RuntimeFixture {

    private final NetnsSandboxFactory factory = new NetnsSandboxFactory();
    private final List<Path> made = new ArrayList<>();

    @AfterEach
    void removeNamespaces() throws Exception {
        for (Path p : made) {
            factory.delete(p);
        }
        if (!made.isEmpty()) {
            Path dir = made.get(0).getParent();
            if (MountInfo.at(MountInfo.ofThisThread(), dir.toString()).isPresent()) {
                JnrLinuxKernel.instance().umount2(dir.toString(), 2);
            }
        }
    }

    private Sandbox create(String name) throws IOException {
        Path p = work.resolve("netns").resolve(name);
        made.add(p);
        return factory.create(name, p);
    }

    static String netnsOfThisThread() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }

    @Test
    void aSandboxIsANewNetworkNamespaceEnteredByCall() throws Exception {
        Sandbox s = create("a");
        String host = netnsOfThisThread();
        String inside = s.call(NetnsSandboxFactoryTest::netnsOfThisThread);
        assertNotEquals(host, inside);
        assertEquals(inside, s.call(NetnsSandboxFactoryTest::netnsOfThisThread), "the same namespace each time");
        assertEquals(host, netnsOfThisThread(), "the caller's thread never moves");
        // only a loopback interface, down, as the kernel makes it
        String devices = s.call(() -> Files.readString(Path.of("/proc/thread-self/net/dev")));
        assertEquals(1, devices.lines().filter(l -> l.contains(":")).count(), devices);
        assertTrue(devices.contains("lo:"), devices);
        assertEquals("a", s.id());
    }

    @Test
    void openFindsAnExistingNamespaceAndDeleteRemovesIt() throws Exception {
        Sandbox s = create("b");
        String inside = s.call(NetnsSandboxFactoryTest::netnsOfThisThread);
        Sandbox again = factory.open("b", s.path()).orElseThrow();
        assertEquals(inside, again.call(NetnsSandboxFactoryTest::netnsOfThisThread));
        factory.delete(s.path());
        assertFalse(Files.exists(s.path()));
        assertTrue(factory.open("b", s.path()).isEmpty());
        factory.delete(s.path()); // idempotent
    }

    @Test
    void theDirectoryIsAPrivateMountSoNamespacesDoNotPropagate() throws Exception {
        Sandbox s = create("c");
        MountInfo dir = MountInfo.at(MountInfo.ofThisThread(), s.path().getParent().toString()).orElseThrow();
        assertFalse(dir.isShared(), dir.toString());
        MountInfo ns = MountInfo.at(MountInfo.ofThisThread(), s.path().toString()).orElseThrow();
        assertEquals("nsfs", ns.fsType());
        assertThrows(IOException.class, () -> factory.create("c", s.path()));
    }

    @Test
    void aContainerJoinsTheSandboxByPath() throws Exception {
        Sandbox s = create("d");
        String inside = s.call(NetnsSandboxFactoryTest::netnsOfThisThread);
        DockerLikeSpec spec = spec("readlink", "/proc/self/ns/net");
        spec.namespaces.removeIf(n -> n.type().equals("network"));
        spec.namespaces.add(new Linux.Namespace("network", s.path().toString()));
        assertEquals(inside + "\n", run(spec).out());
    }

    @Test
    void aFailingActionsExceptionReachesTheCaller() throws Exception {
        Sandbox s = create("e");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.call(() -> {
            throw new IllegalStateException("boom");
        }));
        assertEquals("boom", e.getMessage());
    }
}
