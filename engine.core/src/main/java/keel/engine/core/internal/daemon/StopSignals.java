package keel.engine.core.internal.daemon;

import java.lang.System.Logger.Level;
import java.util.Hashtable;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import sun.misc.Signal;

/**
 * How keeld ends: SIGTERM and SIGINT stop it the orderly way, as they stop dockerd, and the process exits with
 * status 0.
 *
 * <p>The bnd launcher runs a {@code Callable<Integer>} registered with {@code main.thread=true} on the process's
 * main thread and, when it returns, stops the framework (every component deactivates: the API socket and the
 * pidfile are removed, stores are closed) and exits with the returned value. So the signals only release that
 * callable; the JVM's own handling would run the same shutdown but exit with 143.
 */
final class StopSignals implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger(StopSignals.class.getName());

    private final CountDownLatch stop = new CountDownLatch(1);
    private ServiceRegistration<?> registration;

    static StopSignals install(BundleContext context) {
        StopSignals s = new StopSignals();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    LOG.log(Level.INFO, "received SIG{0}, stopping", signal.getName());
                    s.stop.countDown();
                });
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "cannot handle SIG{0}: {1}", name, e.getMessage());
            }
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("main.thread", "true");
        s.registration = context.registerService(Callable.class.getName(), s, props);
        return s;
    }

    @Override
    public Integer call() throws InterruptedException {
        stop.await();
        return 0;
    }

    /** The daemon is stopping for another reason (the framework is shutting down): let the main thread go. */
    void release() {
        stop.countDown();
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone with the framework
        }
    }
}
