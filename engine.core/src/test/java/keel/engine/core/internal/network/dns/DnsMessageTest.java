package keel.engine.core.internal.network.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The wire format: queries parsed, replies built, compressed names read, bad messages refused. */
class DnsMessageTest {

    @Test
    void aReplyEchoesTheQuestionAndCarriesTheAnswersWithDockersFlags() throws Exception {
        byte[] q = DnsMessage.query(0xbeef, "WeB.Example", DnsMessage.TYPE_A);
        DnsMessage query = DnsMessage.parse(q, q.length);
        assertFalse(query.isResponse());
        assertEquals(List.of(new DnsMessage.Question("WeB.Example", DnsMessage.TYPE_A, DnsMessage.CLASS_IN)),
                query.questions());
        byte[] r = query.reply(DnsMessage.NOERROR, List.of(new byte[] {(byte) 198, 18, 0, 2},
                new byte[] {(byte) 198, 18, 0, 3}), 600, DnsMessage.UDP_LIMIT);
        DnsMessage reply = DnsMessage.parse(r, r.length);
        assertEquals(0xbeef, reply.id());
        assertTrue(reply.isResponse());
        assertEquals(0x8180, reply.flags(), "QR, RD (copied), RA; not authoritative; NOERROR");
        assertEquals("WeB.Example", reply.questions().get(0).name(), "the case the client chose (0x20)");
        assertEquals(2, reply.answers().size());
        DnsMessage.Record a = reply.answers().get(0);
        assertEquals("WeB.Example", a.name(), "a compression pointer to the question's name");
        assertEquals(DnsMessage.TYPE_A, a.type());
        assertEquals(600, a.ttl());
        assertArrayEquals(new byte[] {(byte) 198, 18, 0, 2}, a.data());
        assertEquals(12 + 13 + 4 + 2 * 16, r.length);
    }

    @Test
    void nxdomainAndTruncation() throws Exception {
        byte[] q = DnsMessage.query(7, "nosuch", DnsMessage.TYPE_A);
        DnsMessage query = DnsMessage.parse(q, q.length);
        byte[] nxBytes = query.reply(DnsMessage.NXDOMAIN);
        DnsMessage nx = DnsMessage.parse(nxBytes, nxBytes.length);
        assertEquals(DnsMessage.NXDOMAIN, nx.rcode());
        assertEquals(0x8183, nx.flags());
        assertEquals(List.of(), nx.answers());

        List<byte[]> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(new byte[] {10, 0, 0, (byte) i});
        }
        byte[] r = query.reply(DnsMessage.NOERROR, many, 600, DnsMessage.UDP_LIMIT);
        DnsMessage t = DnsMessage.parse(r, r.length);
        assertTrue(t.truncated());
        assertTrue(r.length <= 512);
        assertEquals((512 - 12 - 12) / 16, t.answers().size());
    }

    @Test
    void compressedNamesAreFollowedBackwardsOnly() throws Exception {
        // a response: question "a.example", answer named by a pointer to "example" (offset 14) with label "www"
        // before it: www.example
        byte[] m = HexFormat.of().parseHex(
                "1234818000010001000000000161076578616d706c650000010001"
                        + "03777777c00e000100010000003c000401020304");
        DnsMessage msg = DnsMessage.parse(m, m.length);
        assertEquals("a.example", msg.questions().get(0).name());
        assertEquals("www.example", msg.answers().get(0).name());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, msg.answers().get(0).data());

        byte[] loop = HexFormat.of().parseHex("12340100000100000000000003777777c00c00010001");
        assertThrows(DnsMessage.FormatException.class, () -> DnsMessage.parse(loop, loop.length),
                "a pointer to itself would never end");
        byte[] shortOne = HexFormat.of().parseHex("1234010000010000000000000561");
        assertThrows(DnsMessage.FormatException.class, () -> DnsMessage.parse(shortOne, shortOne.length));
        assertThrows(DnsMessage.FormatException.class, () -> DnsMessage.parse(new byte[5], 5));
    }

    @Test
    void ednsRaisesTheUdpLimit() throws Exception {
        byte[] q = DnsMessage.query(1, "x", DnsMessage.TYPE_A);
        byte[] withOpt = new byte[q.length + 11];
        System.arraycopy(q, 0, withOpt, 0, q.length);
        withOpt[11] = 1; // ARCOUNT
        // root name, type OPT (41), class = payload size 1232, ttl 0, rdlength 0
        byte[] opt = HexFormat.of().parseHex("00002904d0000000000000");
        System.arraycopy(opt, 0, withOpt, q.length, opt.length);
        assertEquals(1232, DnsMessage.parse(withOpt, withOpt.length).udpPayloadSize());
        assertEquals(512, DnsMessage.parse(q, q.length).udpPayloadSize());
    }
}
