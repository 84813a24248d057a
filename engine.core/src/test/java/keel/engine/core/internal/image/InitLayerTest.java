package keel.engine.core.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.core.internal.image.layer.InitLayer;

/**
 * Containers' read-write layers on an image's init layer (the mount points every container needs, made once per
 * image instead of in every container's layer): made with the first container, shared, kept while its image
 * layer lives and removed with it, also by the reconciliation at start.
 */
class InitLayerTest {

    @TempDir
    Path dir;
    StoreFixture f;
    TestImages.Image busybox;

    @BeforeEach
    void open() throws Exception {
        f = new StoreFixture(dir);
        f.initLayers = true;
        f.reopen();
        busybox = TestImages.busybox();
        f.load(TestImages.dockerArchive(List.of(new TestImages.Named(busybox, "busybox:latest")), true, false));
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void theTarHoldsTheMountPointsAsRootOwnedEntries() throws Exception {
        Path out = dir.resolve("init");
        Files.createDirectories(out);
        new keel.engine.archive.internal.TarLayerArchiver().extract(new ByteArrayInputStream(InitLayer.tar()), out,
                keel.engine.api.storage.WhiteoutFormat.OVERLAY);
        for (String d : List.of("proc", "dev", "sys", "etc")) {
            assertTrue(Files.isDirectory(out.resolve(d)), d);
        }
        for (String file : List.of("etc/hosts", "etc/hostname", "etc/resolv.conf")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
            assertEquals(0, Files.size(out.resolve(file)));
        }
    }

    @Test
    void madeWithTheFirstContainerSharedAndRemovedWithItsImageLayer() throws Exception {
        String base = busybox.diffIds().get(0);
        String init = InitLayer.idFor(base);
        assertFalse(f.driver.exists(init), "none before a container needs it");
        Images.ContainerLayer a = f.store.createContainerLayer("a", busybox.id(), true);
        Images.ContainerLayer b = f.store.createContainerLayer("b", busybox.id(), false);
        assertTrue(f.driver.exists(init));
        assertEquals(4, f.driver.ids().size(), "the image layer, one init layer, two read-write layers: "
                + f.driver.ids());
        // the container's rootfs has the mount points (vfs copies the parents into each layer)
        Path root = f.driver.mount(a.mountId());
        try {
            assertTrue(Files.isDirectory(root.resolve("proc")));
            assertTrue(Files.isRegularFile(root.resolve("etc/hostname")));
            assertTrue(Files.exists(root.resolve("bin")), "on top of the image");
        } finally {
            f.driver.unmount(a.mountId());
        }
        f.reopen();
        assertTrue(f.driver.exists(init), "named by no record, but kept while its image layer is");

        f.store.removeContainerLayer("a");
        f.store.removeContainerLayer("b");
        assertTrue(f.driver.exists(init), "the image is still there");
        f.assertConsistent();
        f.store.remove("busybox", false, false);
        assertFalse(f.driver.exists(init));
        assertEquals(java.util.Set.of(), f.driver.ids());
    }

    @Test
    void anInitLayerWhoseImageLayerIsGoneIsRemovedAtStart() throws Exception {
        f.driver.applyDiff(InitLayer.idFor("sha256:" + "9".repeat(64)), null,
                new ByteArrayInputStream(InitLayer.tar()));
        f.reopen();
        assertFalse(f.driver.exists(InitLayer.idFor("sha256:" + "9".repeat(64))));
        f.assertConsistent();
    }
}
