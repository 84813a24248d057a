package keel.cli.internal.command;

import java.util.Collection;
import java.util.function.Consumer;

/**
 * Signals the CLI process receives, by name without the SIG prefix ("INT", "TERM", "WINCH"), as Go's
 * signal.Notify delivers them to docker's CLI. While a subscription is open the signal no longer has its default
 * effect (a SIGINT does not end the process; it is forwarded to the container instead).
 */
public interface SignalSource {

    /** Receives nothing: for in-process runs that must not touch the JVM's handlers. */
    SignalSource NONE = (names, handler) -> () -> {
    };

    /** A subscription; closing it gives the signals back their previous handling. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** Subscribes to those of {@code names} the platform lets a process catch; others are skipped quietly. */
    Subscription subscribe(Collection<String> names, Consumer<String> handler);
}
