package keel.engine.core.internal.network.ipam;

import java.util.BitSet;

/**
 * The addresses of one network's IPv4 pool that are in use: the gateway, auxiliary addresses and every
 * endpoint's. New addresses come from the pool's range ({@code --ip-range}, else the whole subnet), lowest free
 * first, as libnetwork's default IPAM hands them out when not asked for serial allocation; the subnet's network
 * and broadcast addresses are never handed out. A bit per address, from the subnet's first: a /16 that uses its
 * first hundred addresses holds a few words, not 8 KiB.
 */
public final class AddressSet {

    private final Ipv4Prefix subnet;
    private final Ipv4Prefix range;
    private final BitSet used = new BitSet();

    /**
     * @param subnet the pool, masked
     * @param range  where dynamic addresses come from (inside {@code subnet}), or null for all of it
     */
    public AddressSet(Ipv4Prefix subnet, Ipv4Prefix range) {
        if (!subnet.isMasked()) {
            throw new IllegalArgumentException("subnet " + subnet + " has host bits set");
        }
        if (range != null && !subnet.contains(range)) {
            throw new IllegalArgumentException("range " + range + " is not inside subnet " + subnet);
        }
        this.subnet = subnet;
        this.range = range == null ? subnet : range.masked();
    }

    public Ipv4Prefix subnet() {
        return subnet;
    }

    public Ipv4Prefix range() {
        return range;
    }

    private int offset(int a) {
        if (!subnet.contains(a)) {
            throw new IllegalArgumentException("address " + Ipv4.format(a) + " is not in subnet " + subnet);
        }
        return a - subnet.first();
    }

    /**
     * Takes {@code a}.
     *
     * @return false when it is already taken
     * @throws IllegalArgumentException when it is outside the subnet
     */
    public synchronized boolean take(int a) {
        int o = offset(a);
        if (used.get(o)) {
            return false;
        }
        used.set(o);
        return true;
    }

    /**
     * Takes the lowest free address of the range.
     *
     * @return the address, or null when the range is exhausted
     */
    public synchronized Integer takeAny() {
        long from = Integer.toUnsignedLong(range.first()) - Integer.toUnsignedLong(subnet.first());
        long to = from + range.size() - 1;
        boolean hostBits = subnet.bits() <= 30; // /31 and /32 have no network or broadcast address
        long o = used.nextClearBit((int) from);
        while (o <= to) {
            if (!(hostBits && (o == 0 || o == subnet.size() - 1))) {
                used.set((int) o);
                return subnet.first() + (int) o;
            }
            o = used.nextClearBit((int) o + 1);
        }
        return null;
    }

    public synchronized void release(int a) {
        if (subnet.contains(a)) {
            used.clear(offset(a));
        }
    }

    public synchronized boolean isTaken(int a) {
        return subnet.contains(a) && used.get(offset(a));
    }

    /** How many addresses are taken. */
    public synchronized int taken() {
        return used.cardinality();
    }
}
