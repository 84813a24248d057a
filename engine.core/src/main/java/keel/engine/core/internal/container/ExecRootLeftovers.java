package keel.engine.core.internal.container;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import keel.engine.api.network.SandboxFactory;
import keel.engine.api.runtime.ContainerRuntime;
import keel.engine.core.internal.image.disk.AtomicFiles;
import keel.engine.core.internal.image.layer.Digests;

/**
 * What a daemon that died left in the exec root for containers that no longer exist: runtime bundles, network
 * namespaces (bind mounts that keep the namespace alive), and runtime state (cgroups, a pinned pidfd). A removal
 * hands these to the engine's janitor after the container is reported removed, so a crash can leave them behind;
 * they are found when the containers are loaded and removed once the runtime and the sandbox factory are there.
 * Only IDs that were gone at load time are touched: IDs are random and never reused, so no live container can own
 * one of them.
 */
final class ExecRootLeftovers {

    private static final System.Logger LOG = System.getLogger(ExecRootLeftovers.class.getName());

    static final ExecRootLeftovers NONE = new ExecRootLeftovers(List.of(), List.of(), List.of());

    /** A runtime's state directory: the runtime's name, the container's ID, the directory. */
    record RuntimeState(String runtime, String id, Path dir) {}

    private final List<Path> bundles;
    private final List<Path> netns;
    private final List<RuntimeState> states;

    private ExecRootLeftovers(List<Path> bundles, List<Path> netns, List<RuntimeState> states) {
        this.bundles = new ArrayList<>(bundles);
        this.netns = new ArrayList<>(netns);
        this.states = new ArrayList<>(states);
    }

    /** Lists the leftovers of containers neither in {@code index} nor in {@code keep}. */
    static ExecRootLeftovers find(ContainerSettings settings, ContainerIndex index, Set<String> keep)
            throws IOException {
        Path exec = settings.execRoot();
        List<Path> bundles = orphans(exec.resolve("containers"), index, keep);
        List<Path> netns = orphans(exec.resolve("netns"), index, keep);
        List<RuntimeState> states = new ArrayList<>();
        Path runtimes = exec.resolve("runtime");
        if (Files.isDirectory(runtimes)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(runtimes)) {
                for (Path rt : ds) {
                    for (Path dir : orphans(rt, index, keep)) {
                        states.add(new RuntimeState(rt.getFileName().toString(), dir.getFileName().toString(), dir));
                    }
                }
            }
        }
        if (bundles.isEmpty() && netns.isEmpty() && states.isEmpty()) {
            return NONE;
        }
        return new ExecRootLeftovers(bundles, netns, states);
    }

    private static List<Path> orphans(Path dir, ContainerIndex index, Set<String> keep) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String id = p.getFileName().toString();
                if (Digests.isHex64(id) && index.byId(id) == null && !keep.contains(id)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** A new, empty list, to which {@link #add} can add. */
    static ExecRootLeftovers empty() {
        return new ExecRootLeftovers(List.of(), List.of(), List.of());
    }

    boolean isNone() {
        return this == NONE;
    }

    /** What a container (maybe removed since) left in the exec root, for the next sweep. Not on {@link #NONE}. */
    synchronized void add(String runtime, String id, Path bundle, Path netnsFile, Path stateDir) {
        if (isNone()) {
            throw new IllegalStateException("NONE is shared");
        }
        bundles.add(bundle);
        netns.add(netnsFile);
        states.add(new RuntimeState(runtime, id, stateDir));
    }

    synchronized boolean isEmpty() {
        return bundles.isEmpty() && netns.isEmpty() && states.isEmpty();
    }

    /**
     * Removes what can be removed now: bundles at once, namespaces once a sandbox factory is there, runtime state
     * once its runtime is. What waits for a driver stays listed for the next call.
     */
    synchronized void sweep(Drivers<ContainerRuntime> runtimes, SandboxFactory sandboxes) {
        for (Path b : bundles) {
            try {
                AtomicFiles.removeTree(b);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot remove the leftover bundle " + b, e);
            }
        }
        bundles.clear();
        if (sandboxes != null) {
            for (Path n : netns) {
                try {
                    sandboxes.delete(n);
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "cannot remove the leftover network namespace " + n, e);
                }
            }
            netns.clear();
        }
        for (java.util.Iterator<RuntimeState> it = states.iterator(); it.hasNext();) {
            RuntimeState s = it.next();
            ContainerRuntime rt = runtimes.get(s.runtime());
            if (rt == null) {
                continue;
            }
            it.remove();
            try {
                rt.delete(s.id(), s.dir());
                AtomicFiles.removeTree(s.dir());
                LOG.log(Level.INFO, "removed the runtime state left by container {0}", s.id());
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot remove the runtime state left by container " + s.id(), e);
            }
        }
    }
}
