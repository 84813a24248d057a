package keel.engine.core.internal.network.dns;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The DNS wire format (RFC 1035 section 4) as far as the embedded resolver needs it: a message's header, its
 * questions and resource records parsed (names may be compressed, section 4.1.4), and replies built to a query:
 * A/AAAA answers, or an empty answer with a response code. A parsed message keeps its bytes, so a question is
 * echoed exactly as asked (resolvers randomize the case of names, "0x20", and check it comes back).
 */
public final class DnsMessage {

    public static final int TYPE_A = 1;
    public static final int TYPE_PTR = 12;
    public static final int TYPE_MX = 15;
    public static final int TYPE_AAAA = 28;
    public static final int TYPE_OPT = 41;
    public static final int CLASS_IN = 1;

    public static final int NOERROR = 0;
    public static final int FORMERR = 1;
    public static final int SERVFAIL = 2;
    public static final int NXDOMAIN = 3;
    public static final int NOTIMP = 4;
    public static final int REFUSED = 5;

    static final int QR = 0x8000;
    static final int AA = 0x0400;
    static final int TC = 0x0200;
    static final int RD = 0x0100;
    static final int RA = 0x0080;
    static final int CD = 0x0010;

    /** What a UDP reply may hold without EDNS (RFC 1035 section 2.3.4). */
    public static final int UDP_LIMIT = 512;
    static final int HEADER = 12;
    private static final int MAX_NAME = 255;

    /** Thrown for bytes that are not a well-formed message. */
    public static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }
    }

    public record Question(String name, int type, int qclass) {}

    public record Record(String name, int type, int rclass, long ttl, byte[] data) {}

    private final byte[] bytes;
    private final int length;
    private final int id;
    private final int flags;
    private final List<Question> questions;
    /** Where the first question starts and ends in {@link #bytes}. */
    private final int questionEnd;
    private final List<Record> answers;
    private final List<Record> additional;

    private DnsMessage(byte[] bytes, int length, int id, int flags, List<Question> questions, int questionEnd,
            List<Record> answers, List<Record> additional) {
        this.bytes = bytes;
        this.length = length;
        this.id = id;
        this.flags = flags;
        this.questions = questions;
        this.questionEnd = questionEnd;
        this.answers = answers;
        this.additional = additional;
    }

    public int id() {
        return id;
    }

    public int flags() {
        return flags;
    }

    public boolean isResponse() {
        return (flags & QR) != 0;
    }

    public int opcode() {
        return (flags >> 11) & 0xf;
    }

    public int rcode() {
        return flags & 0xf;
    }

    public boolean truncated() {
        return (flags & TC) != 0;
    }

    public List<Question> questions() {
        return questions;
    }

    public List<Record> answers() {
        return answers;
    }

    /**
     * The UDP payload size the sender accepts: its EDNS OPT record's class (RFC 6891 section 6.2.3), at least 512.
     */
    public int udpPayloadSize() {
        for (Record r : additional) {
            if (r.type() == TYPE_OPT) {
                return Math.max(UDP_LIMIT, r.rclass());
            }
        }
        return UDP_LIMIT;
    }

    /**
     * Parses a message.
     *
     * @throws FormatException for a short message, a name running past the end or pointing forward in a loop, a
     *                         label over 63 bytes or a name over 255
     */
    public static DnsMessage parse(byte[] b, int length) throws FormatException {
        if (length < HEADER) {
            throw new FormatException("message of " + length + " bytes is shorter than a header");
        }
        int id = u16(b, 0);
        int flags = u16(b, 2);
        int qd = u16(b, 4);
        int an = u16(b, 6);
        int ns = u16(b, 8);
        int ar = u16(b, 10);
        int[] pos = {HEADER};
        List<Question> questions = new ArrayList<>();
        int questionEnd = HEADER;
        for (int i = 0; i < qd; i++) {
            String name = readName(b, length, pos);
            need(b, length, pos[0], 4);
            questions.add(new Question(name, u16(b, pos[0]), u16(b, pos[0] + 2)));
            pos[0] += 4;
            if (i == 0) {
                questionEnd = pos[0];
            }
        }
        List<Record> answers = new ArrayList<>();
        for (int i = 0; i < an; i++) {
            answers.add(readRecord(b, length, pos));
        }
        for (int i = 0; i < ns; i++) {
            readRecord(b, length, pos);
        }
        List<Record> additional = new ArrayList<>();
        for (int i = 0; i < ar; i++) {
            additional.add(readRecord(b, length, pos));
        }
        return new DnsMessage(b, length, id, flags, List.copyOf(questions), questionEnd, List.copyOf(answers),
                List.copyOf(additional));
    }

    private static Record readRecord(byte[] b, int length, int[] pos) throws FormatException {
        String name = readName(b, length, pos);
        need(b, length, pos[0], 10);
        int type = u16(b, pos[0]);
        int rclass = u16(b, pos[0] + 2);
        long ttl = ((long) u16(b, pos[0] + 4) << 16) | u16(b, pos[0] + 6);
        int rdlength = u16(b, pos[0] + 8);
        pos[0] += 10;
        need(b, length, pos[0], rdlength);
        byte[] data = new byte[rdlength];
        System.arraycopy(b, pos[0], data, 0, rdlength);
        pos[0] += rdlength;
        return new Record(name, type, rclass, ttl, data);
    }

    /**
     * Reads a name at {@code pos[0]} and moves past it. A compression pointer must point backwards (before the
     * label that holds it), which bounds the walk and rules out loops.
     */
    static String readName(byte[] b, int length, int[] pos) throws FormatException {
        StringBuilder name = new StringBuilder();
        int p = pos[0];
        int end = -1; // where the name ends in the message, once a pointer was followed
        int limit = p; // a pointer must point before this
        int total = 0;
        while (true) {
            need(b, length, p, 1);
            int len = b[p] & 0xff;
            if ((len & 0xc0) == 0xc0) {
                need(b, length, p, 2);
                int target = ((len & 0x3f) << 8) | (b[p + 1] & 0xff);
                if (target >= limit) {
                    throw new FormatException("compression pointer at " + p + " does not point backwards");
                }
                if (end < 0) {
                    end = p + 2;
                }
                limit = target;
                p = target;
                continue;
            }
            if ((len & 0xc0) != 0) {
                throw new FormatException("unsupported label type at " + p);
            }
            p++;
            if (len == 0) {
                break;
            }
            need(b, length, p, len);
            total += len + 1;
            if (total > MAX_NAME) {
                throw new FormatException("name longer than " + MAX_NAME + " bytes");
            }
            if (name.length() > 0) {
                name.append('.');
            }
            for (int i = 0; i < len; i++) {
                char c = (char) (b[p + i] & 0xff);
                // a dot or a backslash inside a label is escaped (RFC 4343 section 2.1)
                if (c == '.' || c == '\\') {
                    name.append('\\');
                }
                name.append(c);
            }
            p += len;
        }
        pos[0] = end >= 0 ? end : p;
        return name.toString();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Building

    /**
     * A reply to this query: its ID, opcode, RD and CD; QR and RA set (the resolver recurses, through the host's
     * nameservers); the first question echoed byte for byte; the addresses (4 or 16 bytes each) as answers of the
     * question's type and name. Answers that do not fit in {@code maxSize} are left out and TC set.
     */
    public byte[] reply(int rcode, List<byte[]> addresses, long ttl, int maxSize) {
        int qlen = questions.isEmpty() ? 0 : questionEnd - HEADER;
        int type = questions.isEmpty() ? 0 : questions.get(0).type();
        int size = HEADER + qlen;
        int fit = 0;
        boolean truncated = false;
        for (byte[] a : addresses) {
            int rr = 2 + 10 + a.length;
            if (size + rr > maxSize) {
                truncated = true;
                break;
            }
            size += rr;
            fit++;
        }
        byte[] out = new byte[size];
        put16(out, 0, id);
        int f = QR | (flags & 0x7800) | (flags & RD) | RA | (flags & CD) | (rcode & 0xf);
        if (truncated) {
            f |= TC;
        }
        put16(out, 2, f);
        put16(out, 4, questions.isEmpty() ? 0 : 1);
        put16(out, 6, fit);
        System.arraycopy(bytes, HEADER, out, HEADER, qlen);
        int p = HEADER + qlen;
        for (int i = 0; i < fit; i++) {
            byte[] a = addresses.get(i);
            put16(out, p, 0xc000 | HEADER); // the name: a pointer to the question's
            put16(out, p + 2, type);
            put16(out, p + 4, CLASS_IN);
            put16(out, p + 6, (int) (ttl >>> 16));
            put16(out, p + 8, (int) ttl);
            put16(out, p + 10, a.length);
            System.arraycopy(a, 0, out, p + 12, a.length);
            p += 12 + a.length;
        }
        return out;
    }

    /** A reply with no answers and {@code rcode} (NXDOMAIN, SERVFAIL, or NOERROR for "no data"). */
    public byte[] reply(int rcode) {
        return reply(rcode, List.of(), 0, Integer.MAX_VALUE);
    }

    /** A standard query (RD set) for tests and tools: one question. */
    public static byte[] query(int id, String name, int type) {
        byte[] encoded = encodeName(name);
        byte[] out = new byte[HEADER + encoded.length + 4];
        put16(out, 0, id);
        put16(out, 2, RD);
        put16(out, 4, 1);
        System.arraycopy(encoded, 0, out, HEADER, encoded.length);
        put16(out, HEADER + encoded.length, type);
        put16(out, HEADER + encoded.length + 2, CLASS_IN);
        return out;
    }

    static byte[] encodeName(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        byte[] out = new byte[n.isEmpty() ? 1 : n.length() + 2];
        int p = 0;
        if (!n.isEmpty()) {
            for (String label : n.split("\\.")) {
                byte[] l = label.getBytes(StandardCharsets.US_ASCII);
                if (l.length == 0 || l.length > 63) {
                    throw new IllegalArgumentException("invalid label in " + name);
                }
                out[p++] = (byte) l.length;
                System.arraycopy(l, 0, out, p, l.length);
                p += l.length;
            }
        }
        out[p] = 0;
        return out;
    }

    /** The ID of a raw message. */
    public static int id(byte[] b) {
        return u16(b, 0);
    }

    /** Replaces the ID of a raw message (forwarded queries get one of the forwarder's, replies the client's). */
    public static void setId(byte[] b, int id) {
        put16(b, 0, id);
    }

    public int length() {
        return length;
    }

    static int u16(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }

    static void put16(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 8);
        b[p + 1] = (byte) v;
    }

    private static void need(byte[] b, int length, int p, int n) throws FormatException {
        if (p + n > length || p + n > b.length) {
            throw new FormatException("message truncated at " + p);
        }
    }
}
