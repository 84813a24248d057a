package keel.network.bridge.internal.netlink;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import keel.network.bridge.internal.address.Ipv4Cidr;
import keel.network.bridge.internal.address.MacAddress;

/**
 * The rtnetlink(7) operations the bridge driver needs, each one request on a {@link NetlinkSocket}, read as
 * {@code ip link}/{@code ip address}/{@code ip route} would do them. The socket's network namespace is where
 * they act.
 */
public final class Rtnetlink implements Closeable {

    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_GETROUTE = 26;

    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;

    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_MASTER = 10;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_IFALIAS = 20;
    static final int IFLA_NET_NS_FD = 28;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int VETH_INFO_PEER = 1;

    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_BROADCAST = 4;

    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_TABLE = 15;
    static final int RT_TABLE_MAIN = 254;
    static final int RTPROT_BOOT = 3;
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RTN_UNICAST = 1;

    private static final int IFNAMSIZ = 16;

    private final NetlinkKernel kernel;
    private final NetlinkSocket socket;

    private Rtnetlink(NetlinkKernel kernel, NetlinkSocket socket) {
        this.kernel = kernel;
        this.socket = socket;
    }

    /** Opens rtnetlink in the calling thread's network namespace. */
    public static Rtnetlink open(NetlinkKernel kernel) throws ErrnoException {
        return new Rtnetlink(kernel, NetlinkSocket.open(kernel));
    }

    // ---- links

    public List<Link> links() throws ErrnoException {
        List<Link> out = new ArrayList<>();
        NetlinkRequest r = NetlinkRequest.of(RTM_GETLINK, NetlinkRequest.NLM_F_DUMP).ifinfomsg(AF_UNSPEC, 0, 0, 0);
        for (NetlinkMessage m : socket.dump(r, "list links")) {
            if (m.type() == RTM_NEWLINK) {
                out.add(link(m.payload()));
            }
        }
        return out;
    }

    public Optional<Link> link(String name) throws ErrnoException {
        checkName(name);
        NetlinkRequest r = NetlinkRequest.of(RTM_GETLINK, 0).ifinfomsg(AF_UNSPEC, 0, 0, 0)
                .attrString(IFLA_IFNAME, name);
        try {
            for (NetlinkMessage m : socket.execute(r, "get link " + name)) {
                if (m.type() == RTM_NEWLINK) {
                    return Optional.of(link(m.payload()));
                }
            }
            return Optional.empty();
        } catch (ErrnoException e) {
            if (e.errno() == ErrnoException.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code ip link add NAME address MAC mtu MTU up type bridge}. */
    public void createBridge(String name, int mtu, MacAddress mac) throws ErrnoException {
        checkName(name);
        NetlinkRequest r = NetlinkRequest.of(RTM_NEWLINK, NetlinkRequest.NLM_F_CREATE | NetlinkRequest.NLM_F_EXCL)
                .ifinfomsg(AF_UNSPEC, 0, Link.IFF_UP, Link.IFF_UP)
                .attrString(IFLA_IFNAME, name)
                .attrU32(IFLA_MTU, mtu)
                .attr(IFLA_ADDRESS, mac.bytes());
        int info = r.nest(IFLA_LINKINFO);
        r.attrString(IFLA_INFO_KIND, "bridge");
        r.end(info);
        socket.execute(r, "create bridge " + name);
    }

    /** What a veth pair is made with; the peer goes into the namespace open at {@code peerNamespaceFd}. */
    public record VethPair(String hostName, int master, int mtu, String peerName, MacAddress peerMac,
            int peerNamespaceFd) {}

    /**
     * {@code ip link add HOST mtu M master BR up type veth peer name PEER address MAC mtu M netns FD}: one
     * request makes both ends, enslaves the host end and creates the peer directly in the sandbox under its final
     * name, so no rename or move follows. The peer cannot be brought up in the same request (veth_open answers
     * ENOTCONN while the pair is half made): the caller sets it up afterwards.
     */
    public void createVeth(VethPair v) throws ErrnoException {
        checkName(v.hostName());
        checkName(v.peerName());
        NetlinkRequest r = NetlinkRequest.of(RTM_NEWLINK, NetlinkRequest.NLM_F_CREATE | NetlinkRequest.NLM_F_EXCL)
                .ifinfomsg(AF_UNSPEC, 0, Link.IFF_UP, Link.IFF_UP)
                .attrString(IFLA_IFNAME, v.hostName())
                .attrU32(IFLA_MTU, v.mtu())
                .attrU32(IFLA_MASTER, v.master());
        int info = r.nest(IFLA_LINKINFO);
        r.attrString(IFLA_INFO_KIND, "veth");
        int data = r.nest(IFLA_INFO_DATA);
        int peer = r.nest(VETH_INFO_PEER);
        // The peer's own ifinfomsg, then its attributes, inside VETH_INFO_PEER.
        r.ifinfomsg(AF_UNSPEC, 0, 0, 0)
                .attrString(IFLA_IFNAME, v.peerName())
                .attrU32(IFLA_MTU, v.mtu())
                .attr(IFLA_ADDRESS, v.peerMac().bytes())
                .attrU32(IFLA_NET_NS_FD, v.peerNamespaceFd());
        r.end(peer).end(data).end(info);
        socket.execute(r, "create veth " + v.hostName() + " (peer " + v.peerName() + ")");
    }

    /** {@code ip link set INDEX up|down}. */
    public void setUp(int index, boolean up) throws ErrnoException {
        setLink(index, up ? Link.IFF_UP : 0, Link.IFF_UP, r -> {}, "set link " + index + (up ? " up" : " down"));
    }

    public void setMtu(int index, int mtu) throws ErrnoException {
        setLink(index, 0, 0, r -> r.attrU32(IFLA_MTU, mtu), "set mtu " + mtu + " on link " + index);
    }

    public void setMac(int index, MacAddress mac) throws ErrnoException {
        setLink(index, 0, 0, r -> r.attr(IFLA_ADDRESS, mac.bytes()), "set address " + mac + " on link " + index);
    }

    /** {@code ip link set INDEX alias TEXT}. */
    public void setAlias(int index, String alias) throws ErrnoException {
        setLink(index, 0, 0, r -> r.attrString(IFLA_IFALIAS, alias), "set alias on link " + index);
    }

    /** {@code ip link set INDEX master MASTER} (0: nomaster). */
    public void setMaster(int index, int master) throws ErrnoException {
        setLink(index, 0, 0, r -> r.attrU32(IFLA_MASTER, master), "set master " + master + " on link " + index);
    }

    public void rename(int index, String name) throws ErrnoException {
        checkName(name);
        setLink(index, 0, 0, r -> r.attrString(IFLA_IFNAME, name), "rename link " + index + " to " + name);
    }

    private interface Attributes {
        void add(NetlinkRequest r);
    }

    private void setLink(int index, int flags, int change, Attributes attrs, String what) throws ErrnoException {
        NetlinkRequest r = NetlinkRequest.of(RTM_NEWLINK, 0).ifinfomsg(AF_UNSPEC, index, flags, change);
        attrs.add(r);
        socket.execute(r, what);
    }

    /** {@code ip link del NAME}; false if there was no such link. Deleting either end of a veth deletes both. */
    public boolean deleteLink(String name) throws ErrnoException {
        checkName(name);
        NetlinkRequest r = NetlinkRequest.of(RTM_DELLINK, 0).ifinfomsg(AF_UNSPEC, 0, 0, 0)
                .attrString(IFLA_IFNAME, name);
        try {
            socket.execute(r, "delete link " + name);
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == ErrnoException.ENODEV) {
                return false;
            }
            throw e;
        }
    }

    // ---- addresses

    /** {@code ip address replace CIDR broadcast + dev INDEX}: idempotent. */
    public void addAddress(int index, Ipv4Cidr address) throws ErrnoException {
        NetlinkRequest r = NetlinkRequest.of(RTM_NEWADDR, NetlinkRequest.NLM_F_CREATE | NetlinkRequest.NLM_F_REPLACE)
                .ifaddrmsg(AF_INET, address.prefixLength(), 0, RT_SCOPE_UNIVERSE, index)
                .attr(IFA_LOCAL, address.bytes())
                .attr(IFA_ADDRESS, address.bytes());
        if (address.prefixLength() < 31) {
            r.attr(IFA_BROADCAST, Ipv4Cidr.bytes(address.broadcast()));
        }
        socket.execute(r, "add address " + address + " to link " + index);
    }

    /** {@code ip address del CIDR dev INDEX}. */
    public void deleteAddress(int index, Ipv4Cidr address) throws ErrnoException {
        NetlinkRequest r = NetlinkRequest.of(RTM_DELADDR, 0)
                .ifaddrmsg(AF_INET, address.prefixLength(), 0, RT_SCOPE_UNIVERSE, index)
                .attr(IFA_LOCAL, address.bytes())
                .attr(IFA_ADDRESS, address.bytes());
        socket.execute(r, "delete address " + address + " from link " + index);
    }

    /** The IPv4 addresses of link {@code index}. */
    public List<Ipv4Cidr> addresses(int index) throws ErrnoException {
        NetlinkRequest r = NetlinkRequest.of(RTM_GETADDR, NetlinkRequest.NLM_F_DUMP).ifaddrmsg(AF_INET, 0, 0, 0, 0);
        List<Ipv4Cidr> out = new ArrayList<>();
        for (NetlinkMessage m : socket.dump(r, "list addresses")) {
            ByteBuffer p = m.payload();
            if (m.type() != RTM_NEWADDR || p.remaining() < 8 || p.getInt(4) != index) {
                continue;
            }
            int prefix = p.get(1) & 0xff;
            NetlinkAttributes a = NetlinkAttributes.parse(p, 8);
            Optional<byte[]> local = a.bytes(IFA_LOCAL).or(() -> a.bytes(IFA_ADDRESS));
            local.filter(b -> b.length == 4).ifPresent(b -> out.add(new Ipv4Cidr(ByteBuffer.wrap(b).getInt(), prefix)));
        }
        return out;
    }

    // ---- routes

    /**
     * {@code ip route add default via GATEWAY dev INDEX}, unless a default route exists already (NLM_F_EXCL
     * answers EEXIST): the first network a container joins gives its default route, as with Docker.
     *
     * @return whether the route was added
     */
    public boolean addDefaultRouteIfAbsent(int gateway, int index) throws ErrnoException {
        NetlinkRequest r = NetlinkRequest.of(RTM_NEWROUTE, NetlinkRequest.NLM_F_CREATE | NetlinkRequest.NLM_F_EXCL)
                .rtmsg(AF_INET, 0, RT_TABLE_MAIN, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST)
                .attr(RTA_GATEWAY, Ipv4Cidr.bytes(gateway))
                .attrU32(RTA_OIF, index);
        try {
            socket.execute(r, "add default route via " + Ipv4Cidr.format(gateway));
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == ErrnoException.EEXIST) {
                return false;
            }
            throw e;
        }
    }

    /** The IPv4 routes of the main table. */
    public List<Route> routes() throws ErrnoException {
        NetlinkRequest r = NetlinkRequest.of(RTM_GETROUTE, NetlinkRequest.NLM_F_DUMP)
                .rtmsg(AF_INET, 0, 0, 0, 0, 0);
        List<Route> out = new ArrayList<>();
        for (NetlinkMessage m : socket.dump(r, "list routes")) {
            ByteBuffer p = m.payload();
            if (m.type() != RTM_NEWROUTE || p.remaining() < 12) {
                continue;
            }
            NetlinkAttributes a = NetlinkAttributes.parse(p, 12);
            int table = a.u32(RTA_TABLE).orElse(p.get(4) & 0xff);
            if (table != RT_TABLE_MAIN) {
                continue;
            }
            int dst = a.bytes(RTA_DST).filter(b -> b.length == 4).map(b -> ByteBuffer.wrap(b).getInt()).orElse(0);
            int gw = a.bytes(RTA_GATEWAY).filter(b -> b.length == 4).map(b -> ByteBuffer.wrap(b).getInt()).orElse(0);
            out.add(new Route(dst, p.get(1) & 0xff, gw, a.u32(RTA_OIF).orElse(0)));
        }
        return out;
    }

    // ---- namespaces

    /** Opens a network namespace file (a sandbox's bind mount) to hand its fd to {@link #createVeth}. */
    public int openNamespace(String path) throws ErrnoException {
        return kernel.open(path, NetlinkKernel.O_RDONLY | NetlinkKernel.O_CLOEXEC);
    }

    public void closeFd(int fd) {
        kernel.close(fd);
    }

    @Override
    public void close() {
        socket.close();
    }

    static Link link(ByteBuffer p) {
        int index = p.getInt(4);
        int flags = p.getInt(8);
        NetlinkAttributes a = NetlinkAttributes.parse(p, 16);
        String mac = a.bytes(IFLA_ADDRESS).filter(b -> b.length == 6).map(b -> new MacAddress(b).toString())
                .orElse("");
        String kind = a.nested(IFLA_LINKINFO).string(IFLA_INFO_KIND).orElse("");
        return new Link(index, a.string(IFLA_IFNAME).orElse(""), kind, a.u32(IFLA_MASTER).orElse(0),
                a.u32(IFLA_MTU).orElse(0), flags, mac, a.string(IFLA_IFALIAS).orElse(""));
    }

    /** Interface names are at most 15 bytes and never contain '/', ':' or blanks (dev_valid_name). */
    static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() >= IFNAMSIZ || name.equals(".") || name.equals("..")
                || name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || c > 126)) {
            throw new IllegalArgumentException("invalid interface name: " + name);
        }
    }
}
