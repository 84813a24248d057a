package keel.storage.overlay.internal;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Platform threads with a working directory of their own, for mounts whose paths are relative (a few, so that
 * containers starting together mount their layers in parallel).
 *
 * <p>The working directory belongs to the process ({@code fs_struct} is shared by all threads), and the JVM resolves
 * relative paths against it; so the thread first calls {@code unshare(CLONE_FS)}, after which its {@code chdir}
 * changes nothing for any other thread. This is how Docker's overlay2 keeps mount options of deep layer chains
 * short (it re-executes itself for the same effect). Tasks refuse to change directory on a thread whose unshare
 * failed: doing so would move the whole JVM.
 */
final class MountThread implements AutoCloseable {

    private final OverlayKernel kernel;
    private final ExecutorService executor;
    /** Set on the worker thread once its filesystem context is its own; read only there. */
    private final ThreadLocal<Boolean> ownFsContext = ThreadLocal.withInitial(() -> Boolean.FALSE);

    MountThread(OverlayKernel kernel, String name) {
        this(kernel, name, 1);
    }

    /** @param threads how many mounts may run at once (each thread unshares its filesystem context) */
    MountThread(OverlayKernel kernel, String name, int threads) {
        this.kernel = kernel;
        this.executor = Executors.newFixedThreadPool(threads, task -> {
            Thread t = new Thread(() -> {
                try {
                    kernel.unshare(OverlayKernel.CLONE_FS);
                    ownFsContext.set(Boolean.TRUE);
                } catch (ErrnoException e) {
                    // Left FALSE: every task that needs a working directory fails with a clear error instead.
                }
                task.run();
            }, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} on the thread with {@code dir} as the working directory, returning its result. */
    <T> T callIn(String dir, Callable<T> task) throws IOException {
        Future<T> result = executor.submit(() -> {
            if (!ownFsContext.get()) {
                throw new IOException("cannot mount with relative paths: unshare(CLONE_FS) failed on the mount thread");
            }
            kernel.chdir(dir);
            return task.call();
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while mounting", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
