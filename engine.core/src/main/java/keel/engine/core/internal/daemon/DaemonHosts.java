package keel.engine.core.internal.daemon;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Checks {@code -H} values before anything starts. Keel has no TLS yet, so TCP is allowed on loopback only:
 * dockerd without TLS on a public address hands root to the network, and Keel refuses to.
 */
final class DaemonHosts {
    private DaemonHosts() {}

    static void validate(String host) throws DaemonOptions.InvalidOptionsException {
        if (host.startsWith("unix://")) {
            String path = host.substring("unix://".length());
            if (!path.startsWith("/")) {
                throw new DaemonOptions.InvalidOptionsException("invalid host \"" + host
                        + "\": the unix socket path must be absolute");
            }
            return;
        }
        if (host.startsWith("tcp://")) {
            URI uri;
            try {
                uri = URI.create(host);
            } catch (IllegalArgumentException e) {
                throw new DaemonOptions.InvalidOptionsException("invalid host \"" + host + "\": " + e.getMessage());
            }
            if (uri.getHost() == null || uri.getPort() <= 0) {
                throw new DaemonOptions.InvalidOptionsException("invalid host \"" + host
                        + "\": expected tcp://ADDRESS:PORT");
            }
            try {
                if (!InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
                    throw new DaemonOptions.InvalidOptionsException("refusing to listen on " + host
                            + ": without TLS the API may only listen on a loopback address");
                }
            } catch (UnknownHostException e) {
                throw new DaemonOptions.InvalidOptionsException("invalid host \"" + host + "\": unknown address");
            }
            return;
        }
        throw new DaemonOptions.InvalidOptionsException("invalid host \"" + host
                + "\": use unix:///path or tcp://127.0.0.1:PORT");
    }
}
