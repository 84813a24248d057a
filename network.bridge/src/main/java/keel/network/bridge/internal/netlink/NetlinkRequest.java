package keel.network.bridge.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds one netlink message (netlink(7), rtnetlink(7)): the 16-byte {@code nlmsghdr}, one family header
 * ({@code ifinfomsg}, {@code ifaddrmsg}, {@code rtmsg}) and attributes ({@code rtattr}: length, type, value
 * padded to 4 bytes), nested ones between {@link #nest} and {@link #end}. Host byte order throughout, as the
 * kernel expects; the length and sequence number are filled in by {@link #finish}.
 */
public final class NetlinkRequest {

    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_DUMP = 0x300;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;

    static final int HEADER = 16;

    private ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    private final int type;

    private NetlinkRequest(int type, int flags) {
        this.type = type;
        b.putInt(0); // nlmsg_len, set by finish
        b.putShort((short) type);
        b.putShort((short) (flags | NLM_F_REQUEST));
        b.putInt(0); // nlmsg_seq, set by finish
        b.putInt(0); // nlmsg_pid: 0, the kernel assigns ours
    }

    /** A request of {@code type} (RTM_*) with {@code flags} (NLM_F_*); NLM_F_REQUEST is always set. */
    public static NetlinkRequest of(int type, int flags) {
        return new NetlinkRequest(type, flags);
    }

    public int type() {
        return type;
    }

    public int flags() {
        return b.getShort(6) & 0xffff;
    }

    /** {@code struct ifinfomsg}: family, type, index, flags and the mask of flags to change. */
    public NetlinkRequest ifinfomsg(int family, int index, int flags, int change) {
        room(16);
        b.put((byte) family).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
        return this;
    }

    /** {@code struct ifaddrmsg}: family, prefix length, flags, scope, interface index. */
    public NetlinkRequest ifaddrmsg(int family, int prefixLength, int flags, int scope, int index) {
        room(8);
        b.put((byte) family).put((byte) prefixLength).put((byte) flags).put((byte) scope).putInt(index);
        return this;
    }

    /** {@code struct rtmsg}. */
    public NetlinkRequest rtmsg(int family, int dstLength, int table, int protocol, int scope, int routeType) {
        room(12);
        b.put((byte) family).put((byte) dstLength).put((byte) 0).put((byte) 0);
        b.put((byte) table).put((byte) protocol).put((byte) scope).put((byte) routeType).putInt(0);
        return this;
    }

    public NetlinkRequest attr(int attrType, byte[] value) {
        int len = 4 + value.length;
        room(align(len));
        b.putShort((short) len).putShort((short) attrType).put(value);
        pad();
        return this;
    }

    public NetlinkRequest attrU32(int attrType, int value) {
        room(8);
        b.putShort((short) 8).putShort((short) attrType).putInt(value);
        return this;
    }

    /** A NUL-terminated string attribute (IFLA_IFNAME, IFLA_INFO_KIND...). */
    public NetlinkRequest attrString(int attrType, String value) {
        byte[] s = value.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[s.length + 1];
        System.arraycopy(s, 0, z, 0, s.length);
        return attr(attrType, z);
    }

    /** Opens a nested attribute; returns its offset for {@link #end}. */
    public int nest(int attrType) {
        room(4);
        int start = b.position();
        b.putShort((short) 0).putShort((short) attrType);
        return start;
    }

    /** Closes the nested attribute opened at {@code start}: its length covers everything written since. */
    public NetlinkRequest end(int start) {
        b.putShort(start, (short) (b.position() - start));
        return this;
    }

    /** The message's bytes with its length and {@code seq} filled in. */
    public byte[] finish(int seq) {
        b.putInt(0, b.position());
        b.putInt(8, seq);
        byte[] out = new byte[b.position()];
        System.arraycopy(b.array(), 0, out, 0, out.length);
        return out;
    }

    static int align(int len) {
        return (len + 3) & ~3;
    }

    private void pad() {
        while ((b.position() & 3) != 0) {
            b.put((byte) 0);
        }
    }

    private void room(int n) {
        if (b.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n))
                    .order(ByteOrder.nativeOrder());
            b.flip();
            bigger.put(b);
            b = bigger;
        }
    }
}
