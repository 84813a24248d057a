package keel.network.bridge.internal.ports;

import java.io.Closeable;
import java.net.InetSocketAddress;

/**
 * A host port held for a published port: the socket that reserves it (the proxy's listener, or a placeholder
 * when NAT alone forwards) and the port actually bound, which differs from the one asked when that was 0.
 */
public record HostPort(String protocol, String hostIp, int port, Closeable holder) implements Closeable {

    public InetSocketAddress address() {
        return new InetSocketAddress(hostIp.isEmpty() ? "0.0.0.0" : hostIp, port);
    }

    @Override
    public void close() {
        try {
            holder.close();
        } catch (java.io.IOException e) {
            // a socket that fails to close is closed anyway
        }
    }
}
