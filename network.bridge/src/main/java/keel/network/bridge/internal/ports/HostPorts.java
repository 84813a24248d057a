package keel.network.bridge.internal.ports;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;

import keel.network.bridge.internal.proxy.ProxyLoop;

/**
 * Takes host ports for published ports, as dockerd does before it writes any NAT rule: with the userland proxy
 * the proxy's own listening socket holds the port; without it a placeholder socket is bound and kept (TCP bound
 * but never listening, and without SO_REUSEADDR, so that no other program can bind the port either; UDP bound).
 * Either way a port already in use fails here with Docker's message, and port 0 gets one chosen by the kernel.
 */
public final class HostPorts {

    private final ProxyLoop proxy;
    private final boolean userlandProxy;

    /**
     * @param proxy the proxy loop (its thread starts with the first forwarding)
     * @param userlandProxy whether the proxy forwards every published port, or only those NAT cannot
     */
    public HostPorts(ProxyLoop proxy, boolean userlandProxy) {
        this.proxy = proxy;
        this.userlandProxy = userlandProxy;
    }

    /**
     * Takes {@code hostIp:hostPort} for {@code protocol}; with a proxy (or an IPv6 host address, which NAT over
     * an IPv4 network cannot serve, so the proxy does even when NAT alone forwards IPv4, as in Docker 28) it
     * forwards to {@code target}.
     */
    public HostPort take(String protocol, String hostIp, int hostPort, InetSocketAddress target)
            throws IOException {
        String ip = hostIp == null ? "" : hostIp;
        InetSocketAddress listen = new InetSocketAddress(ip.isEmpty() ? InetAddress.getByName("0.0.0.0")
                : InetAddress.getByName(ip), hostPort);
        try {
            if (userlandProxy || ip.indexOf(':') >= 0) {
                ProxyLoop.Forwarding f = protocol.equals("udp") ? proxy.udp(listen, target)
                        : proxy.tcp(listen, target);
                return new HostPort(protocol, ip, f.address().getPort(), f);
            }
            if (protocol.equals("udp")) {
                DatagramChannel c = DatagramChannel.open();
                try {
                    c.bind(listen);
                } catch (IOException e) {
                    c.close();
                    throw e;
                }
                return new HostPort(protocol, ip, ((InetSocketAddress) c.getLocalAddress()).getPort(), c);
            }
            SocketChannel c = SocketChannel.open();
            try {
                c.setOption(StandardSocketOptions.SO_REUSEADDR, false);
                c.bind(listen);
            } catch (IOException e) {
                c.close();
                throw e;
            }
            return new HostPort(protocol, ip, ((InetSocketAddress) c.getLocalAddress()).getPort(), c);
        } catch (BindException e) {
            if (String.valueOf(e.getMessage()).contains("in use")) {
                throw new PortAllocatedException(ip, hostPort, e);
            }
            throw new IOException("failed to bind host port " + PortAllocatedException.hostPort(ip, hostPort)
                    + "/" + protocol + ": " + e.getMessage(), e);
        }
    }
}
