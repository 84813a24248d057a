package keel.engine.core.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.core.internal.daemon.EngineConfig;

/** The DS component wires an {@link ImageStore} to the data root and repairs the store when it activates. */
class ImageServiceComponentTest {

    @TempDir
    Path dir;

    @Test
    void activatesOnTheDataRootAndRepairsLeftovers() throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            f.load(TestImages.dockerArchive(List.of(new TestImages.Named(TestImages.busybox(), "busybox:latest")),
                    true, false));
            Path leftover = Files.createDirectories(dir.resolve("tmp/image-load-0000000000000000"));
            ImageServiceComponent c = new ImageServiceComponent(config(dir), f.storage, () -> ImageUsage.NONE);
            // The store opens on a thread of its own; the first call waits for it, repairs included.
            assertEquals(List.of("busybox:latest"), c.list(false, Map.of()).get(0).repoTags());
            assertTrue(Files.notExists(leftover));
            assertEquals(TestImages.busybox().id(), c.resolve("busybox").id());
            assertEquals(f.store.layer(TestImages.busybox().diffIds().get(0)).cacheId(),
                    c.resolve("busybox").topLayerId());
        }
    }

    /** The config with its defaults but {@code data.root} (a proxy, so new attributes do not break the test). */
    private static EngineConfig config(Path dataRoot) {
        return (EngineConfig) Proxy.newProxyInstance(EngineConfig.class.getClassLoader(),
                new Class<?>[] {EngineConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "data_root" -> dataRoot.toString();
                    case "annotationType" -> EngineConfig.class;
                    default -> method.getDefaultValue();
                });
    }
}
