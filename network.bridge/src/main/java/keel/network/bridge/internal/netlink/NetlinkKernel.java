package keel.network.bridge.internal.netlink;

/**
 * The slice of the C library the bridge driver needs, one method per system call as in the man pages: a
 * netlink socket (socket(2), bind(2), setsockopt(2), sendto(2), recv(2), close(2)) and open(2) for the namespace
 * file a veth peer is moved into. Everything above it is plain Java over byte arrays, so it can be unit-tested
 * with a fake.
 */
public interface NetlinkKernel {

    int AF_NETLINK = 16;
    int SOCK_RAW = 3;
    int SOCK_CLOEXEC = 0x80000;
    int NETLINK_ROUTE = 0;
    int SOL_SOCKET = 1;
    int SO_RCVTIMEO = 20;
    int SOL_NETLINK = 270;
    /** Error messages carry only the offending message's header, not the whole request. */
    int NETLINK_CAP_ACK = 10;
    /** Error messages carry the kernel's text (extack), e.g. "Unknown device type". */
    int NETLINK_EXT_ACK = 11;
    int MSG_TRUNC = 0x20;
    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;

    int socket(int domain, int type, int protocol) throws ErrnoException;

    void bind(int fd, byte[] sockaddr) throws ErrnoException;

    void setsockopt(int fd, int level, int name, byte[] value) throws ErrnoException;

    /** Sends {@code len} bytes of {@code buf} to {@code sockaddr}; returns the bytes sent. */
    int sendto(int fd, byte[] buf, int len, byte[] sockaddr) throws ErrnoException;

    /** Receives one datagram into {@code buf}; with MSG_TRUNC the datagram's real length is returned. */
    int recv(int fd, byte[] buf, int flags) throws ErrnoException;

    int open(String path, int flags) throws ErrnoException;

    void close(int fd);

    /** strerror(3): the text for an errno a netlink reply carries as a bare number. */
    String strerror(int errno);
}
