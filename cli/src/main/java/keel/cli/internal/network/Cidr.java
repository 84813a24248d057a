package keel.cli.internal.network;

import keel.cli.internal.container.options.BadValue;
import keel.cli.internal.container.options.IpAddress;

/**
 * Go's net.ParseCIDR and IPNet.Contains as docker's network create uses them to pair --ip-range, --gateway and
 * --aux-address values with their --subnet. Addresses are held in 16 bytes (IPv4 as IPv4-mapped), so an IPv4
 * network's prefix counts from bit 96 and an IPv6 address never falls into it.
 */
final class Cidr {
    private final byte[] network;
    private final int bits;

    private Cidr(byte[] network, int bits) {
        this.network = network;
        this.bits = bits;
    }

    /** "10.0.0.0/8" or "fd00::/64"; a bad one fails with Go's "invalid CIDR address: TEXT". */
    static Cidr parse(String text) throws BadValue {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw invalid(text);
        }
        String addr = text.substring(0, slash);
        String mask = text.substring(slash + 1);
        byte[] ip = addr.contains("%") ? null : IpAddress.bytes(addr);
        if (ip == null || mask.isEmpty() || mask.length() > 3 || !mask.chars().allMatch(Character::isDigit)) {
            throw invalid(text);
        }
        boolean v4 = !addr.contains(":");
        int n = Integer.parseInt(mask);
        if (n > (v4 ? 32 : 128)) {
            throw invalid(text);
        }
        return new Cidr(ip, v4 ? n + 96 : n);
    }

    /** The address part of "ADDR/N" or a plain address (Go's ParseIP); null when it is neither. */
    static byte[] address(String text) throws BadValue {
        if (text.contains("/")) {
            return parse(text).network;
        }
        return IpAddress.bytes(text);
    }

    boolean contains(byte[] ip) {
        if (ip == null) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >> (i % 8);
            if ((network[i / 8] & mask) != (ip[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static BadValue invalid(String text) {
        return new BadValue("invalid CIDR address: " + text);
    }
}
