package keel.network.bridge.internal;

import java.time.Duration;

/**
 * The driver's configuration (dockerd's daemon options of the same meaning): {@code userlandProxy}
 * (--userland-proxy), {@code iptables} (--iptables), {@code ipForward} (--ip-forward), the default {@code mtu}
 * (--mtu). {@code owner} prefixes the tags on rules and the alias on bridges, so that two owners on one host
 * never touch each other's state; {@code udpTimeout} is the proxy's UDP flow timeout.
 */
public record BridgeSettings(boolean userlandProxy, boolean iptables, boolean ipForward, int mtu, String owner,
        Duration udpTimeout) {

    public BridgeSettings {
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("mtu must be between 68 and 65535, not " + mtu);
        }
        if (owner == null || !owner.matches("[a-z][a-z0-9]{0,15}")) {
            throw new IllegalArgumentException("invalid owner: " + owner);
        }
    }

    /** dockerd's defaults. */
    public static BridgeSettings defaults() {
        return new BridgeSettings(true, true, true, 1500, "keel", Duration.ofSeconds(90));
    }
}
