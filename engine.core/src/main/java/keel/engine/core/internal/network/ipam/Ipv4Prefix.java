package keel.engine.core.internal.network.ipam;

/**
 * An IPv4 prefix ({@code 172.18.0.0/16}); {@code address} may carry host bits ({@code 172.17.0.1/16}, dockerd's
 * {@code --bip} form) until {@link #masked()} drops them.
 */
public record Ipv4Prefix(int address, int bits) {

    public Ipv4Prefix {
        if (bits < 0 || bits > 32) {
            throw new IllegalArgumentException("invalid prefix length " + bits);
        }
    }

    /**
     * Parses {@code a.b.c.d/n}.
     *
     * @throws IllegalArgumentException with Go's netip wording when it is not one
     */
    public static Ipv4Prefix parse(String s) {
        int slash = s == null ? -1 : s.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("netip.ParsePrefix(\"" + s + "\"): no '/'");
        }
        Integer a = Ipv4.tryParse(s.substring(0, slash));
        if (a == null) {
            throw new IllegalArgumentException("netip.ParsePrefix(\"" + s + "\"): ParseAddr(\""
                    + s.substring(0, slash) + "\"): unable to parse IP");
        }
        String n = s.substring(slash + 1);
        if (n.isEmpty() || n.length() > 2 || !n.chars().allMatch(Character::isDigit)
                || (n.length() > 1 && n.charAt(0) == '0') || Integer.parseInt(n) > 32) {
            throw new IllegalArgumentException("netip.ParsePrefix(\"" + s + "\"): bad bits after slash: \"" + n
                    + "\"");
        }
        return new Ipv4Prefix(a, Integer.parseInt(n));
    }

    public int mask() {
        return bits == 0 ? 0 : -1 << (32 - bits);
    }

    public Ipv4Prefix masked() {
        return new Ipv4Prefix(address & mask(), bits);
    }

    public boolean isMasked() {
        return (address & mask()) == address;
    }

    /** The first address (the network's). */
    public int first() {
        return address & mask();
    }

    /** The last address (the broadcast address). */
    public int last() {
        return first() | ~mask();
    }

    /** How many addresses, as a long (a /0 has 2^32). */
    public long size() {
        return 1L << (32 - bits);
    }

    public boolean contains(int a) {
        return (a & mask()) == first();
    }

    /** Whether {@code other} lies entirely inside this prefix. */
    public boolean contains(Ipv4Prefix other) {
        return other.bits >= bits && contains(other.first());
    }

    public boolean overlaps(Ipv4Prefix other) {
        return contains(other.first()) || other.contains(first());
    }

    /** The address as a string, without the length. */
    public String ip() {
        return Ipv4.format(address);
    }

    @Override
    public String toString() {
        return Ipv4.format(address) + "/" + bits;
    }
}
