package keel.network.bridge.internal.ports;

import java.io.IOException;

/** A host port is taken (by another container or another program): Docker's "port is already allocated". */
public final class PortAllocatedException extends IOException {
    private static final long serialVersionUID = 1L;

    public PortAllocatedException(String hostIp, int hostPort, Throwable cause) {
        super("Bind for " + hostPort(hostIp, hostPort) + " failed: port is already allocated", cause);
    }

    /** {@code 0.0.0.0:8080}, {@code [::1]:8080}: Go's net.JoinHostPort, as Docker prints it. */
    static String hostPort(String hostIp, int port) {
        String ip = hostIp == null || hostIp.isEmpty() ? "0.0.0.0" : hostIp;
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
    }
}
