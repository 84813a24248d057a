package keel.engine.core.internal.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.CreateRequest;
import keel.engine.api.errors.EngineException.Kind;
import keel.engine.api.storage.LayerStore;
import keel.engine.core.internal.daemon.EngineConfig;
import keel.engine.core.internal.image.StoreFixture;
import keel.engine.core.internal.image.TestImages;
import keel.engine.core.internal.network.NetworkDefaults;
import keel.engine.core.internal.network.NetworkDrivers;
import keel.engine.core.internal.network.NetworkEngine;
import keel.engine.core.internal.storage.ActiveStorage;

/**
 * The DS component: activation returns at once even while the storage driver is still being chosen (which can
 * take seconds at daemon start), and the service works once it is; without a runtime, a start fails clearly.
 */
class ContainerServiceComponentTest {

    @TempDir
    Path dir;

    @Test
    void activationDoesNotWaitForStorageAndStartWithoutARuntimeIsUnavailable() throws Exception {
        try (StoreFixture images = new StoreFixture(dir.resolve("data"))) {
            images.load(TestImages.dockerArchive(List.of(new TestImages.Named(TestImages.busybox(),
                    "busybox:latest")), true, false));
            CountDownLatch chosen = new CountDownLatch(1);
            ActiveStorage slow = new ActiveStorage() {
                private void await() {
                    try {
                        chosen.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public String driverName() {
                    await();
                    return images.storage.driverName();
                }

                @Override
                public LayerStore store() {
                    await();
                    return images.storage.store();
                }

                @Override
                public boolean available() {
                    return chosen.getCount() == 0;
                }

                @Override
                public Path metadataRoot() {
                    await();
                    return images.storage.metadataRoot();
                }
            };
            long t0 = System.nanoTime();
            NetworkEngine networks = NetworkEngine.onThisHost(NetworkDefaults.of(config(dir)), new NetworkDrivers(),
                    () -> null);
            networks.open();
            ContainerServiceComponent c = new ContainerServiceComponent(config(dir), images.store, slow, networks);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            try {
                assertTrue(ms < 1000, "activation took " + ms + " ms");
                assertEquals(List.of(), c.list(true, 0, false, Map.of()), "loading needs no storage");
                chosen.countDown();
                c.addLogDriver(new keel.logging.json.JsonFileLogDriver(), Map.of("driver.name", "json-file"));
                String id = c.create("svc", new CreateRequest(ContainerConfig.builder().image("busybox")
                        .cmd(List.of("true")).build(), ContainerFixture.host("networkMode", "host"), null)).id();
                assertTrue(Files.exists(dir.resolve("data/containers/" + id + "/config.v2.json")));
                var e = ContainerFixture.expect(() -> {
                    c.start(id);
                    return null;
                });
                assertEquals(Kind.UNAVAILABLE, e.kind());
                assertEquals("runtime native is not available: no container runtime of that name is registered",
                        e.getMessage());
                assertTrue(c.warnings().stream().anyMatch(w -> w.contains("default runtime native is not available")));
                assertEquals(1, c.containersUsing(c.inspect(id, false).image()));
                c.remove(id, false, false);
            } finally {
                c.deactivate();
                networks.close();
            }
        }
    }

    /** The config with its defaults but {@code data.root} and {@code exec.root}. */
    private static EngineConfig config(Path root) {
        return (EngineConfig) Proxy.newProxyInstance(EngineConfig.class.getClassLoader(),
                new Class<?>[] {EngineConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "data_root" -> root.resolve("data").toString();
                    case "exec_root" -> root.resolve("run").toString();
                    case "annotationType" -> EngineConfig.class;
                    default -> method.getDefaultValue();
                });
    }
}
