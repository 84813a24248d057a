package keel.network.bridge.internal.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The wire layout of requests and the decoding of replies, against netlink(7) and rtnetlink(7). */
class NetlinkMessageTest {

    @Test
    void aRequestHasTheHeaderFamilyHeaderAndPaddedAttributes() {
        byte[] b = NetlinkRequest.of(Rtnetlink.RTM_NEWLINK, NetlinkRequest.NLM_F_CREATE)
                .ifinfomsg(0, 7, 1, 1)
                .attrString(Rtnetlink.IFLA_IFNAME, "kt0") // 4 + 4 bytes ("kt0\0"), no padding
                .attrU32(Rtnetlink.IFLA_MTU, 1400)
                .attrString(Rtnetlink.IFLA_IFALIAS, "ab") // 4 + 3, padded to 8
                .finish(42);
        ByteBuffer m = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        assertEquals(16 + 16 + 8 + 8 + 8, b.length);
        assertEquals(b.length, m.getInt(0));
        assertEquals(Rtnetlink.RTM_NEWLINK, m.getShort(4));
        assertEquals(NetlinkRequest.NLM_F_CREATE | NetlinkRequest.NLM_F_REQUEST, m.getShort(6));
        assertEquals(42, m.getInt(8));
        assertEquals(7, m.getInt(16 + 4), "ifi_index");
        assertEquals(1, m.getInt(16 + 8), "ifi_flags");
        assertEquals(8, m.getShort(32), "rta_len of IFLA_IFNAME counts the NUL, not padding");
        assertEquals(Rtnetlink.IFLA_IFNAME, m.getShort(34));
        assertEquals(1400, m.getInt(44));
        assertEquals(7, m.getShort(48), "rta_len without the padding");
    }

    @Test
    void nestedAttributesCoverTheirChildren() {
        NetlinkRequest r = NetlinkRequest.of(Rtnetlink.RTM_NEWLINK, 0).ifinfomsg(0, 0, 0, 0);
        int info = r.nest(Rtnetlink.IFLA_LINKINFO);
        r.attrString(Rtnetlink.IFLA_INFO_KIND, "veth");
        int data = r.nest(Rtnetlink.IFLA_INFO_DATA);
        r.attrU32(9, 5);
        r.end(data).end(info);
        byte[] b = r.finish(1);
        ByteBuffer payload = ByteBuffer.wrap(b, 16, b.length - 16).slice().order(ByteOrder.nativeOrder());
        NetlinkAttributes top = NetlinkAttributes.parse(payload, 16);
        NetlinkAttributes linkinfo = top.nested(Rtnetlink.IFLA_LINKINFO);
        assertEquals("veth", linkinfo.string(Rtnetlink.IFLA_INFO_KIND).orElseThrow());
        assertEquals(5, linkinfo.nested(Rtnetlink.IFLA_INFO_DATA).u32(9).orElseThrow());
    }

    @Test
    void anErrorReplyGivesErrnoAndTheKernelsText() {
        // NLMSG_ERROR, capped, with an extended-ack message attribute after the echoed header.
        ByteBuffer m = ByteBuffer.allocate(16 + 4 + 16 + 12).order(ByteOrder.nativeOrder());
        m.putInt(m.capacity()).putShort((short) NetlinkMessage.NLMSG_ERROR)
                .putShort((short) (NetlinkMessage.NLM_F_CAPPED | NetlinkMessage.NLM_F_ACK_TLVS)).putInt(9).putInt(0);
        m.putInt(-17);
        m.putInt(16).putShort((short) 16).putShort((short) 0).putInt(9).putInt(0); // echoed request header
        m.putShort((short) 8).putShort((short) NetlinkMessage.NLMSGERR_ATTR_MSG).put("dup\0".getBytes());
        m.putInt(0);
        List<NetlinkMessage> msgs = NetlinkMessage.parse(m.array(), m.capacity());
        assertEquals(1, msgs.size());
        assertEquals(17, msgs.get(0).errno());
        assertEquals(9, msgs.get(0).seq());
        assertEquals("dup", msgs.get(0).extAckMessage());
    }

    @Test
    void anAckIsErrnoZeroWithoutText() {
        ByteBuffer m = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder());
        m.putInt(36).putShort((short) NetlinkMessage.NLMSG_ERROR).putShort((short) NetlinkMessage.NLM_F_CAPPED)
                .putInt(3).putInt(0).putInt(0).putInt(16).putShort((short) 16).putShort((short) 0).putInt(3).putInt(0);
        NetlinkMessage ack = NetlinkMessage.parse(m.array(), 36).get(0);
        assertEquals(0, ack.errno());
        assertNull(ack.extAckMessage());
    }

    @Test
    void aDatagramMaySplitIntoSeveralMessages() {
        byte[] one = NetlinkRequest.of(Rtnetlink.RTM_NEWLINK, 0).ifinfomsg(0, 1, 0, 0).attrString(3, "a").finish(5);
        byte[] two = NetlinkRequest.of(NetlinkMessage.NLMSG_DONE, 0).finish(5);
        byte[] both = new byte[one.length + two.length];
        System.arraycopy(one, 0, both, 0, one.length);
        System.arraycopy(two, 0, both, one.length, two.length);
        List<NetlinkMessage> msgs = NetlinkMessage.parse(both, both.length);
        assertEquals(2, msgs.size());
        Link l = Rtnetlink.link(msgs.get(0).payload());
        assertEquals("a", l.name());
        assertEquals(1, l.index());
        assertEquals(NetlinkMessage.NLMSG_DONE, msgs.get(1).type());
    }

    @Test
    void interfaceNamesAreCheckedLikeTheKernelDoes() {
        Rtnetlink.checkName("eth0");
        Rtnetlink.checkName("123456789012345");
        for (String bad : new String[] {"", "1234567890123456", "a/b", "a b", "a:b", ".."}) {
            assertTrue(assertThrowsIae(bad), bad);
        }
    }

    private static boolean assertThrowsIae(String name) {
        try {
            Rtnetlink.checkName(name);
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
