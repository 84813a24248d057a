package keel.runtime.linux.internal.netns;

import static keel.runtime.linux.internal.syscall.LinuxKernel.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import keel.engine.api.network.Sandbox;
import keel.runtime.linux.internal.rootfs.MountInfo;
import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * Makes network namespaces that outlive any process: a throwaway thread unshares CLONE_NEWNET and its namespace
 * file (/proc/thread-self/ns/net) is bind-mounted onto a file, as ip-netns(8) and Docker do.
 *
 * <p>The directory holding the files is made a mount point of its own with private propagation (a bind mount of
 * itself, once): otherwise, on a host whose / is shared (systemd's default), every namespace mount would be
 * copied into the peer and slave mount namespaces of other services, each copy pinning the network namespace
 * after we deleted ours.
 */
public final class NetworkNamespaces {

    private final LinuxKernel k;
    /**
     * Directories made private mount points already: reading mountinfo (which grows with every running container)
     * at each create would cost more than the rest of it.
     */
    private final java.util.Set<Path> privateDirs = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Two per container start: one makes the namespace, one enters it for the network driver. */
    private final keel.runtime.linux.internal.thread.FreshThreads threads =
            new keel.runtime.linux.internal.thread.FreshThreads("keel-netns-spare", 2);

    public NetworkNamespaces(LinuxKernel k) {
        this.k = k;
    }

    public Sandbox create(String id, Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (!privateDirs.contains(dir)) {
            Files.createDirectories(dir);
            makePrivateMountPoint(dir);
            privateDirs.add(dir);
        }
        try {
            Files.createFile(path);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (isNetns(path)) {
                throw new IOException("network namespace " + path + " already exists", e);
            }
        }
        try {
            onFreshThread(() -> {
                k.unshare(CLONE_NEWNET);
                k.mount("/proc/thread-self/ns/net", path.toString(), null, MS_BIND, null);
                // As libnetwork does for every sandbox; here the thread is in the namespace already, where a
                // driver would need a thread of its own to enter it.
                k.interfaceUp("lo");
                return null;
            });
        } catch (IOException e) {
            Files.deleteIfExists(path);
            throw e;
        } catch (Exception e) {
            Files.deleteIfExists(path);
            throw new IOException("cannot create network namespace " + path + ": " + e.getMessage(), e);
        }
        return new NetnsSandbox(id, path, true);
    }

    /** Lets the spare threads go. */
    public void close() {
        threads.close();
    }

    public Optional<Sandbox> open(String id, Path path) throws IOException {
        return isNetns(path) ? Optional.of(new NetnsSandbox(id, path, false)) : Optional.empty();
    }

    public void delete(Path path) throws IOException {
        try {
            k.umount2(path.toString(), MNT_DETACH);
        } catch (ErrnoException e) {
            if (e.errno() != EINVAL && e.errno() != ENOENT) { // not mounted, or gone
                throw e;
            }
        }
        Files.deleteIfExists(path);
    }

    /** A file at {@code path} that is a mounted network namespace (NS_GET_NSTYPE answers CLONE_NEWNET). */
    private boolean isNetns(Path path) {
        int fd;
        try {
            fd = k.open(path.toString(), O_RDONLY | O_CLOEXEC, 0);
        } catch (ErrnoException e) {
            return false;
        }
        try {
            return k.nsType(fd) == CLONE_NEWNET;
        } catch (ErrnoException e) {
            return false; // ENOTTY: a plain file
        } finally {
            k.close(fd);
        }
    }

    private synchronized void makePrivateMountPoint(Path dir) throws IOException {
        List<MountInfo> mounts = MountInfo.ofThisThread();
        Optional<MountInfo> at = MountInfo.at(mounts, dir.toString());
        if (at.isEmpty()) {
            k.mount(dir.toString(), dir.toString(), null, MS_BIND, null);
            k.mount(null, dir.toString(), null, MS_PRIVATE, null);
        } else if (at.get().isShared()) {
            k.mount(null, dir.toString(), null, MS_PRIVATE, null);
        }
    }

    /**
     * Runs {@code action} on a thread that ran nothing before, and that ends with it (its namespaces go with it).
     * Returns once the action is done, without waiting for the thread to be torn down.
     */
    <T> T onFreshThread(Callable<T> action) throws Exception {
        java.util.concurrent.CompletableFuture<T> done = new java.util.concurrent.CompletableFuture<>();
        threads.start("keel-netns", () -> {
            try {
                done.complete(action.call());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        threads.replenish();
        try {
            return done.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private final class NetnsSandbox implements Sandbox {
        private final String id;
        private final Path path;
        private final boolean loopbackUp;

        NetnsSandbox(String id, Path path, boolean loopbackUp) {
            this.id = id;
            this.path = path;
            this.loopbackUp = loopbackUp;
        }

        @Override
        public boolean loopbackUp() {
            return loopbackUp;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public <T> T call(Callable<T> action) throws Exception {
            return onFreshThread(() -> {
                int fd = k.open(path.toString(), O_RDONLY | O_CLOEXEC, 0);
                try {
                    k.setns(fd, CLONE_NEWNET);
                } finally {
                    k.close(fd);
                }
                return action.call();
            });
        }
    }
}
