package keel.network.bridge.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The attributes ({@code rtattr}) of a netlink message or of a nested attribute, by type. The flag bits of the
 * type (NLA_F_NESTED, NLA_F_NET_BYTEORDER) are masked off; a repeated type keeps its last value.
 */
public final class NetlinkAttributes {

    private static final int TYPE_MASK = 0x3fff;

    private final Map<Integer, ByteBuffer> values;

    private NetlinkAttributes(Map<Integer, ByteBuffer> values) {
        this.values = values;
    }

    /** Parses the attributes in {@code buf} from {@code from} to {@code buf.limit()}. */
    public static NetlinkAttributes parse(ByteBuffer buf, int from) {
        Map<Integer, ByteBuffer> values = new HashMap<>();
        int at = from;
        while (at + 4 <= buf.limit()) {
            int len = buf.getShort(at) & 0xffff;
            int type = buf.getShort(at + 2) & TYPE_MASK;
            if (len < 4 || at + len > buf.limit()) {
                break; // truncated: the kernel never sends this, a fake might
            }
            ByteBuffer value = buf.duplicate().position(at + 4).limit(at + len).slice().order(ByteOrder.nativeOrder());
            values.put(type, value);
            at += NetlinkRequest.align(len);
        }
        return new NetlinkAttributes(values);
    }

    public boolean has(int type) {
        return values.containsKey(type);
    }

    public Optional<String> string(int type) {
        ByteBuffer v = values.get(type);
        if (v == null) {
            return Optional.empty();
        }
        int n = v.remaining();
        while (n > 0 && v.get(n - 1) == 0) {
            n--;
        }
        byte[] b = new byte[n];
        v.duplicate().get(b);
        return Optional.of(new String(b, StandardCharsets.UTF_8));
    }

    public Optional<Integer> u32(int type) {
        ByteBuffer v = values.get(type);
        return v == null || v.remaining() < 4 ? Optional.empty() : Optional.of(v.getInt(0));
    }

    public Optional<byte[]> bytes(int type) {
        ByteBuffer v = values.get(type);
        if (v == null) {
            return Optional.empty();
        }
        byte[] b = new byte[v.remaining()];
        v.duplicate().get(b);
        return Optional.of(b);
    }

    public NetlinkAttributes nested(int type) {
        ByteBuffer v = values.get(type);
        return v == null ? new NetlinkAttributes(Map.of()) : parse(v, 0);
    }
}
