package keel.engine.api.network;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A container's network namespace, kept alive by a bind mount at {@link #path()} (as Docker keeps them under
 * /var/run/docker/netns), so it exists before the container's process and can be configured by network drivers.
 */
@ConsumerType
public interface Sandbox {

    /** The sandbox's ID (the container's). */
    String id();

    /** The bind-mounted namespace file; a runtime joins it through config.json's network namespace path. */
    Path path();

    /**
     * Runs an action on a thread that has entered the namespace (setns), e.g. to open a netlink socket bound to
     * it or to configure an interface with ioctl. The thread is discarded afterwards.
     */
    <T> T call(Callable<T> action) throws Exception;

    /**
     * Whether the namespace's loopback interface is up already: a factory may bring it up as it makes the
     * namespace (libnetwork does for every sandbox), and a driver then has nothing to do for it.
     */
    default boolean loopbackUp() {
        return false;
    }
}
