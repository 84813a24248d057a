package keel.network.bridge.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One message of a netlink reply: its header fields and payload (the family header then attributes). A reply
 * datagram may hold several messages (a dump), each aligned to 4 bytes.
 */
public record NetlinkMessage(int type, int flags, int seq, ByteBuffer payload) {

    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLM_F_MULTI = 0x2;
    /** In an error message: the original request was cut to its header (NETLINK_CAP_ACK). */
    public static final int NLM_F_CAPPED = 0x100;
    /** In an error message: extended-ack attributes follow. */
    public static final int NLM_F_ACK_TLVS = 0x200;
    static final int NLMSGERR_ATTR_MSG = 1;

    /** Splits the first {@code length} bytes of {@code buf} into messages. */
    public static List<NetlinkMessage> parse(byte[] buf, int length) {
        byte[] copy = Arrays.copyOf(buf, length); // the caller reuses its receive buffer
        ByteBuffer b = ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder());
        List<NetlinkMessage> out = new ArrayList<>();
        int at = 0;
        while (at + NetlinkRequest.HEADER <= length) {
            int len = b.getInt(at);
            if (len < NetlinkRequest.HEADER || at + len > length) {
                break;
            }
            int type = b.getShort(at + 4) & 0xffff;
            int flags = b.getShort(at + 6) & 0xffff;
            int seq = b.getInt(at + 8);
            ByteBuffer payload = ByteBuffer.wrap(copy, at + NetlinkRequest.HEADER, len - NetlinkRequest.HEADER)
                    .slice().order(ByteOrder.nativeOrder());
            out.add(new NetlinkMessage(type, flags, seq, payload));
            at += NetlinkRequest.align(len);
        }
        return out;
    }

    /** For NLMSG_ERROR (and NLMSG_DONE of a failed dump): 0 for an acknowledgement, else a positive errno. */
    public int errno() {
        return payload.remaining() >= 4 ? -payload.getInt(0) : 0;
    }

    /**
     * For NLMSG_ERROR: the kernel's extended-ack text (NLMSGERR_ATTR_MSG), e.g. "Unknown device type", if any.
     * It follows the echoed request, which is only its header when the socket asked for capped acks.
     */
    public String extAckMessage() {
        if ((flags & NLM_F_ACK_TLVS) == 0 || payload.remaining() < 4 + NetlinkRequest.HEADER) {
            return null;
        }
        int echoed = (flags & NLM_F_CAPPED) != 0 ? NetlinkRequest.HEADER : payload.getInt(4);
        int from = 4 + NetlinkRequest.align(echoed);
        if (from >= payload.limit()) {
            return null;
        }
        return NetlinkAttributes.parse(payload, from).string(NLMSGERR_ATTR_MSG).orElse(null);
    }
}
