package keel.engine.core.internal.network.dns;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What the embedded resolver asks the engine, from its selector thread (so answers must come quickly, without I/O):
 * the names a container can see on the networks it is on, and where its other queries go.
 */
public interface DnsNames {

    /** The outcome of a local lookup. */
    enum Outcome {
        /** The name is a container's on a shared network: the addresses answer it (possibly none of the type). */
        ANSWER,
        /** The name belongs to the engine's namespace (one label, or NAME.NETWORK) but nothing has it. */
        NXDOMAIN,
        /** Not the engine's to answer: ask the upstream nameservers. */
        FORWARD
    }

    record Lookup(Outcome outcome, List<byte[]> addresses) {

        public static final Lookup FORWARD = new Lookup(Outcome.FORWARD, List.of());
        public static final Lookup NXDOMAIN = new Lookup(Outcome.NXDOMAIN, List.of());

        public static Lookup answer(List<byte[]> addresses) {
            return new Lookup(Outcome.ANSWER, List.copyOf(addresses));
        }
    }

    /**
     * Resolves {@code name} (no trailing dot, any case) for a query of {@code type} (A, AAAA, MX...) made by
     * container {@code containerId}.
     */
    Lookup lookup(String containerId, String name, int type);

    /** The nameservers the container's other queries go to, in order; empty: none (SERVFAIL). */
    List<InetSocketAddress> upstreams(String containerId);
}
