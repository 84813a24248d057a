package keel.itest.felix;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import keel.engine.api.errors.EngineException;
import keel.engine.api.image.ImageService;
import keel.engine.api.image.ImageSummary;
import keel.engine.api.image.ProgressListener;

/**
 * The daemon's engine, API and archiver run in a real Felix with no storage driver bundle at all; the test then
 * plays the operator: installs the vfs driver through the API, uses it, removes it (the daemon keeps serving and
 * says what data it kept), and puts it back through the watched plugins folder, after which the same images are
 * usable again. No restart anywhere.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StorageDriverHotSwapTest {

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() throws Exception {
        Path work = Files.createTempDirectory("keel-itest-felix");
        // The framework runs in this JVM; its scratch directory goes when the JVM does.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(work)));
        Path archive = work.resolve("tiny.tar");
        String imageId = TinyImage.write(archive);
        Path bundles = Path.of("target/bundles").toAbsolutePath();
        List<Option> opts = new ArrayList<>();
        for (String b : List.of("org.osgi.service.component", "org.osgi.util.function", "org.osgi.util.promise",
                "org.apache.felix.scr", "org.apache.felix.configadmin", "jackson-annotations", "jackson-core",
                "jackson-databind", "commons-io", "commons-lang3", "commons-codec", "xz", "commons-compress",
                "slf4j-api", "slf4j-jdk14", "asm", "asm-tree", "asm-analysis", "asm-commons", "asm-util",
                "org.apache.aries.spifly.dynamic.bundle", "jetty-util", "jetty-io", "jetty-http", "jetty-server",
                "jetty-unixdomain-server", "lib.jnr", "engine.api", "engine.archive", "engine.core",
                "engine.rest")) {
            opts.add(bundle(bundles.resolve(b + ".jar").toUri().toString()));
        }
        opts.add(junitBundles());
        // jffi uses sun.misc.Unsafe; added to the system packages Pax Exam already exports (setting the
        // framework property directly would replace them and hide Pax Exam's own probe service).
        opts.add(systemPackages("sun.misc"));
        opts.add(systemProperty("keel.itest.work").value(work.toString()));
        opts.add(systemProperty("keel.itest.archive").value(archive.toString()));
        opts.add(systemProperty("keel.itest.image").value(imageId));
        opts.add(systemProperty("keel.itest.vfs").value(bundles.resolve("storage.vfs.jar").toString()));
        opts.add(cleanCaches());
        return options(opts.toArray(Option[]::new));
    }

    private Path work;
    private Path socket;
    private Path archive;
    private Path vfsJar;

    @Before
    public void configureEngine() throws Exception {
        work = Path.of(System.getProperty("keel.itest.work"));
        socket = work.resolve("keel.sock");
        archive = Path.of(System.getProperty("keel.itest.archive"));
        vfsJar = Path.of(System.getProperty("keel.itest.vfs"));
        Hashtable<String, Object> engine = new Hashtable<>();
        engine.put("data.root", work.resolve("data").toString());
        engine.put("exec.root", work.resolve("exec").toString());
        engine.put("storage.driver", "vfs");
        configAdmin.getConfiguration("keel.engine", "?").updateIfDifferent(engine);
        Hashtable<String, Object> api = new Hashtable<>();
        api.put("hosts", new String[] {"unix://" + socket});
        configAdmin.getConfiguration("keel.api", "?").updateIfDifferent(api);
        awaitPing();
    }

    @Test
    public void aDriverInstalledAtRuntimeBecomesUsableAndItsRemovalLeavesTheDaemonServing() throws Exception {
        ImageService images = service(ImageService.class);
        String imageId = System.getProperty("keel.itest.image");

        // No storage driver yet: images cannot be loaded, and the error says why.
        try {
            load(images);
            fail("load must fail without a storage driver");
        } catch (EngineException e) {
            assertEquals(EngineException.Kind.UNAVAILABLE, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains("vfs"));
        }

        // The operator installs the vfs driver bundle through the API.
        UnixHttp.Response installed = UnixHttp.call(socket, "POST", "/v1.50/plugins/create?name=vfs",
                Files.readAllBytes(vfsJar), "application/java-archive");
        // Docker answers plugin creation with 204 No Content.
        assertEquals(installed.body(), 204, installed.status());
        assertEquals(Bundle.ACTIVE, pluginBundle("vfs").getState());

        // Without a restart, the engine uses it.
        List<String> lines = load(images);
        assertTrue(lines.toString(), lines.contains("Loaded image: " + TinyImage.TAG));
        assertEquals(imageId, images.inspect(TinyImage.TAG).id());

        // The operator removes it: the daemon keeps serving, says what it kept, and nothing is lost.
        UnixHttp.Response removed = UnixHttp.call(socket, "DELETE", "/v1.50/plugins/vfs", null, null);
        assertEquals(removed.body(), 200, removed.status());
        assertTrue(removed.body() + removed.headers(),
                (removed.body() + removed.headers()).contains("layers kept in " + work.resolve("data/vfs")));
        assertEquals(200, UnixHttp.call(socket, "GET", "/_ping", null, null).status());
        List<ImageSummary> listed = images.list(false, Map.of());
        assertEquals(1, listed.size());
        assertEquals(imageId, listed.get(0).id());
        assertTrue(Files.isDirectory(work.resolve("data/vfs/dir")));
        try {
            images.save(List.of(TinyImage.TAG), new ByteArrayOutputStream());
            fail("save needs the driver's layers");
        } catch (EngineException e) {
            assertEquals(EngineException.Kind.UNAVAILABLE, e.kind());
        }

        // Put back by copying the jar into the watched plugins folder: the same image is whole again.
        Path plugins = work.resolve("data/plugins");
        Files.copy(vfsJar, plugins.resolve(".vfs.jar.part"));
        Files.move(plugins.resolve(".vfs.jar.part"), plugins.resolve("vfs.jar"), StandardCopyOption.ATOMIC_MOVE);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                images.save(List.of(TinyImage.TAG), saved);
                break;
            } catch (EngineException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
        assertTrue(saved.size() > 0);
        assertFalse(pluginBundle("vfs") == null);
    }

    static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // best effort: a leftover in /tmp
        }
    }

    private List<String> load(ImageService images) throws Exception {
        List<String> lines = new ArrayList<>();
        try (InputStream in = Files.newInputStream(archive)) {
            lines.addAll(images.load(in, ProgressListener.NONE));
        }
        return lines;
    }

    private Bundle pluginBundle(String name) {
        return context.getBundle(work.resolve("data/plugins").resolve(name + ".jar").toUri().toString());
    }

    private <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        T s = tracker.waitForService(TimeUnit.SECONDS.toMillis(20));
        if (s == null) {
            fail("no " + type.getName() + " service");
        }
        return s;
    }

    private void awaitPing() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                if (UnixHttp.call(socket, "GET", "/_ping", null, null).status() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                fail("the API never answered on " + socket);
            }
            Thread.sleep(50);
        }
    }
}
