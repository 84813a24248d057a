package keel.network.bridge.internal.netlink;

/**
 * A network interface as RTM_NEWLINK describes it: index, name, kind (IFLA_INFO_KIND: "bridge", "veth"...; empty
 * for a plain device), the index of its master (its bridge; 0 for none), MTU, IFF_* flags, MAC address and alias
 * (IFLA_IFALIAS; Keel marks the bridges it made with one).
 */
public record Link(int index, String name, String kind, int master, int mtu, int flags, String mac, String alias) {

    public static final int IFF_UP = 0x1;

    public boolean isUp() {
        return (flags & IFF_UP) != 0;
    }
}
