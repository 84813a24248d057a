package keel.engine.core.internal.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Keeps the bundles installed in the framework in step with the jars in the plugins folder: a jar that appears is
 * installed and started, a jar that changes is updated, a jar that disappears is uninstalled. The folder is watched
 * (inotify through WatchService), so copying a jar in works as well as the API; the API calls {@link #sync()}
 * itself so it can answer with the outcome.
 *
 * <p>Only files ending in {@code .jar} count: the API writes uploads under a temporary name and renames them, so a
 * half-written jar is never installed.
 */
final class PluginFolder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PluginFolder.class.getName());
    /** Copies arrive as several inotify events; wait for the writer to settle before acting. */
    private static final long SETTLE_MILLIS = 250;

    private final Path folder;
    private final BundleContext context;
    private final Map<Path, Stamp> installed = new HashMap<>();
    private final Map<Path, String> failures = new HashMap<>();
    private WatchService watcher;
    private Thread thread;

    private record Stamp(long size, long modified) {
        static Stamp of(Path p) throws IOException {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return new Stamp(a.size(), a.lastModifiedTime().toMillis());
        }
    }

    PluginFolder(Path folder, BundleContext context) {
        this.folder = folder;
        this.context = context;
    }

    Path folder() {
        return folder;
    }

    static String location(Path jar) {
        return jar.toAbsolutePath().normalize().toUri().toString();
    }

    /** Reconciles once, then watches the folder on a thread of its own. */
    void open() throws IOException {
        Files.createDirectories(folder);
        sync();
        watcher = folder.getFileSystem().newWatchService();
        folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        thread = new Thread(this::watch, "keel-plugin-folder");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                // Drain events until the folder is quiet for a moment, then reconcile once.
                do {
                    key.pollEvents();
                    key.reset();
                    key = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS);
                } while (key != null);
                sync();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    /**
     * Brings the framework in line with the folder. Returns the failures of this pass by file (a jar that does
     * not install or start); a failed jar is retried when it changes.
     */
    synchronized Map<Path, String> sync() {
        Map<Path, String> failed = new HashMap<>();
        List<Bundle> toRefresh = new ArrayList<>();
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted()
                    .forEach(jars::add);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "cannot list plugins folder " + folder, e);
            return failed;
        }
        for (Path jar : jars) {
            Stamp stamp;
            try {
                stamp = Stamp.of(jar);
            } catch (IOException e) {
                continue;
            }
            Stamp known = installed.get(jar);
            if (stamp.equals(known)) {
                continue;
            }
            String previousFailure = failures.get(jar);
            if (known == null && previousFailure != null && stamp.equals(failedStamp.get(jar))) {
                continue;
            }
            Bundle bundle = context.getBundle(location(jar));
            try (InputStream in = Files.newInputStream(jar)) {
                if (bundle == null) {
                    bundle = context.installBundle(location(jar), in);
                    LOG.log(Level.INFO, "plugin {0} installed from {1}", bundle.getSymbolicName(), jar);
                } else {
                    bundle.update(in);
                    toRefresh.add(bundle);
                    LOG.log(Level.INFO, "plugin {0} updated from {1}", bundle.getSymbolicName(), jar);
                }
                installed.put(jar, stamp);
                failures.remove(jar);
                failedStamp.remove(jar);
                startIfFragmentless(bundle);
            } catch (BundleException | IOException | IllegalStateException e) {
                String why = e.getMessage();
                LOG.log(Level.ERROR, "plugin " + jar.getFileName() + " failed: " + why);
                failed.put(jar, why);
                failures.put(jar, why);
                failedStamp.put(jar, stamp);
                installed.remove(jar);
            }
        }
        for (Bundle b : context.getBundles()) {
            String loc = b.getLocation();
            if (!loc.startsWith(folder.toUri().toString())) {
                continue;
            }
            Path jar = Path.of(java.net.URI.create(loc));
            if (!jars.contains(jar)) {
                try {
                    LOG.log(Level.INFO, "plugin {0} removed ({1} is gone)", b.getSymbolicName(), jar.getFileName());
                    b.uninstall();
                    toRefresh.add(b);
                } catch (BundleException | IllegalStateException e) {
                    LOG.log(Level.WARNING, "uninstalling plugin " + b.getSymbolicName() + " failed", e);
                }
                installed.remove(jar);
            }
        }
        failures.keySet().retainAll(jars);
        failedStamp.keySet().retainAll(jars);
        if (!toRefresh.isEmpty()) {
            refresh(toRefresh);
        }
        return failed;
    }

    private final Map<Path, Stamp> failedStamp = new HashMap<>();

    private static void startIfFragmentless(Bundle bundle) throws BundleException {
        if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
            bundle.start();
        }
    }

    /**
     * Rewires the framework after updates and removals so that no bundle keeps using classes of a bundle that is
     * gone; waits for it, so that a caller sees the result.
     */
    private void refresh(List<Bundle> bundles) {
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(bundles, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        try {
            done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Why a jar in the folder is not installed, if it is not. */
    synchronized String failure(Path jar) {
        return failures.get(jar);
    }

    @Override
    public void close() {
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
