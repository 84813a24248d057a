package keel.network.bridge.internal.netlink;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A NETLINK_ROUTE socket. It belongs to the network namespace of the thread that opened it, for its whole life,
 * whichever thread uses it later: that is how the driver configures a sandbox (open it inside
 * {@code Sandbox.call}, use it from the caller). Requests are sent one at a time and answered before the next
 * (not thread-safe); every request asks for an acknowledgement, so a failure comes back as its errno with the
 * kernel's extended-ack text.
 */
public final class NetlinkSocket implements Closeable {

    /** Big enough for any dump datagram (the kernel fills at most max(page, 32 KiB) per read). */
    private static final int RECEIVE_BUFFER = 64 * 1024;
    /** A request is always answered; the timeout only bounds a kernel (or fake) that never does. */
    private static final int RECEIVE_TIMEOUT_SECONDS = 10;

    private final NetlinkKernel k;
    private final int fd;
    private final byte[] receive = new byte[RECEIVE_BUFFER];
    private final byte[] kernelAddress;
    private int seq = (int) (System.nanoTime() & 0x3fffffff);
    private boolean closed;

    private NetlinkSocket(NetlinkKernel k, int fd) {
        this.k = k;
        this.fd = fd;
        this.kernelAddress = sockaddrNl();
    }

    /** Opens a socket in the calling thread's network namespace. */
    public static NetlinkSocket open(NetlinkKernel k) throws ErrnoException {
        int fd = k.socket(NetlinkKernel.AF_NETLINK, NetlinkKernel.SOCK_RAW | NetlinkKernel.SOCK_CLOEXEC,
                NetlinkKernel.NETLINK_ROUTE);
        try {
            k.setsockopt(fd, NetlinkKernel.SOL_NETLINK, NetlinkKernel.NETLINK_CAP_ACK, int32(1));
            k.setsockopt(fd, NetlinkKernel.SOL_NETLINK, NetlinkKernel.NETLINK_EXT_ACK, int32(1));
            ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            tv.putLong(RECEIVE_TIMEOUT_SECONDS).putLong(0);
            k.setsockopt(fd, NetlinkKernel.SOL_SOCKET, NetlinkKernel.SO_RCVTIMEO, tv.array());
            k.bind(fd, sockaddrNl());
            return new NetlinkSocket(k, fd);
        } catch (ErrnoException e) {
            k.close(fd);
            throw e;
        }
    }

    /**
     * Sends a request that changes something and waits for its acknowledgement; replies before it (an echo of a
     * GET) are returned.
     *
     * @param what names the operation in an error, e.g. "create bridge kt-1"
     */
    public List<NetlinkMessage> execute(NetlinkRequest request, String what) throws ErrnoException {
        int s = send(request, NetlinkRequest.NLM_F_ACK);
        List<NetlinkMessage> replies = new ArrayList<>();
        while (true) {
            for (NetlinkMessage m : receive(what)) {
                if (m.seq() != s) {
                    continue; // left over from an earlier request that failed midway
                }
                if (m.type() == NetlinkMessage.NLMSG_ERROR) {
                    failOnError(m, what);
                    return replies;
                }
                replies.add(m);
            }
        }
    }

    /** Sends a dump request and collects every message until NLMSG_DONE. */
    public List<NetlinkMessage> dump(NetlinkRequest request, String what) throws ErrnoException {
        int s = send(request, 0);
        List<NetlinkMessage> replies = new ArrayList<>();
        while (true) {
            for (NetlinkMessage m : receive(what)) {
                if (m.seq() != s) {
                    continue;
                }
                if (m.type() == NetlinkMessage.NLMSG_DONE || m.type() == NetlinkMessage.NLMSG_ERROR) {
                    failOnError(m, what);
                    return replies;
                }
                if (m.type() != NetlinkMessage.NLMSG_NOOP) {
                    replies.add(m);
                }
            }
        }
    }

    private int send(NetlinkRequest request, int extraFlags) throws ErrnoException {
        int s = ++seq;
        byte[] bytes = request.finish(s);
        if (extraFlags != 0) {
            ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).putShort(6,
                    (short) (request.flags() | extraFlags));
        }
        k.sendto(fd, bytes, bytes.length, kernelAddress);
        return s;
    }

    private List<NetlinkMessage> receive(String what) throws ErrnoException {
        int n;
        try {
            n = k.recv(fd, receive, NetlinkKernel.MSG_TRUNC);
        } catch (ErrnoException e) {
            if (e.errno() == ErrnoException.EAGAIN) {
                throw new ErrnoException(what + ": no answer from the kernel", e.errno(), "timed out");
            }
            throw e;
        }
        if (n > receive.length) {
            throw new ErrnoException(what, ErrnoException.EINVAL, "reply of " + n + " bytes truncated");
        }
        return NetlinkMessage.parse(receive, n);
    }

    private void failOnError(NetlinkMessage m, String what) throws ErrnoException {
        int errno = m.errno();
        if (errno == 0) {
            return;
        }
        String reason = k.strerror(errno);
        String ext = m.type() == NetlinkMessage.NLMSG_ERROR ? m.extAckMessage() : null;
        throw new ErrnoException(what, errno, ext == null || ext.isEmpty() ? reason : reason + ": " + ext);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            k.close(fd);
        }
    }

    /** {@code struct sockaddr_nl} with pid 0 and no groups: the kernel, or an address it picks for us. */
    private static byte[] sockaddrNl() {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
        b.putShort((short) NetlinkKernel.AF_NETLINK).putShort((short) 0).putInt(0).putInt(0);
        return b.array();
    }

    private static byte[] int32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }
}
