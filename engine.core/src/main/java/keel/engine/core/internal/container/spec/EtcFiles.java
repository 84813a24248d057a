package keel.engine.core.internal.container.spec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.HostConfig;
import keel.engine.api.errors.EngineException;

/**
 * Writes a container's {@code hostname}, {@code hosts} and {@code resolv.conf} into its directory, which the spec
 * bind-mounts over /etc/hostname, /etc/hosts and /etc/resolv.conf, with the content dockerd writes:
 * <ul>
 * <li>hostname: the host name and a newline (moby container.BuildHostnameFile);</li>
 * <li>hosts: localhost lines, the IPv6 lines unless IPv6 is off, {@code --add-host} entries, then one line per
 * address of the container naming its hostname (moby libnetwork etchosts and sandbox_dns_unix.go); with
 * {@code --network host} and no {@code --add-host}, a copy of the host's /etc/hosts;</li>
 * <li>resolv.conf: see {@link ResolvConf}; the host's file is /etc/resolv.conf, or systemd-resolved's upstream
 * list when /etc/resolv.conf names only its stub 127.0.0.53 (moby resolvconf.Path) and the network is not the
 * host's. A {@code resolv.conf.hash} next to it records what was written, as Docker does to notice user edits.</li>
 * </ul>
 * Each file is replaced atomically (written beside, flushed, renamed, directory flushed). A file already
 * bind-mounted into a running container keeps its old inode after a rename: these methods are for before start.
 */
public final class EtcFiles {

    public static final String HOSTNAME = "hostname";
    public static final String HOSTS = "hosts";
    public static final String RESOLV_CONF = "resolv.conf";
    public static final String RESOLV_CONF_HASH = "resolv.conf.hash";

    private static final String SYSTEMD_STUB = "127.0.0.53";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path hostResolvConf;
    private final Path systemdResolvConf;
    private final Path hostHosts;

    /** The host's /etc/resolv.conf, /run/systemd/resolve/resolv.conf and /etc/hosts. */
    public EtcFiles() {
        this(Path.of("/etc/resolv.conf"), Path.of("/run/systemd/resolve/resolv.conf"), Path.of("/etc/hosts"));
    }

    public EtcFiles(Path hostResolvConf, Path systemdResolvConf, Path hostHosts) {
        this.hostResolvConf = hostResolvConf;
        this.systemdResolvConf = systemdResolvConf;
        this.hostHosts = hostHosts;
    }

    /**
     * What goes into /etc/hosts.
     *
     * @param addresses       the container's own addresses (one line each naming its hostname), may be empty
     * @param extraHosts      {@code --add-host} entries, {@code name:ip}, ip may be {@code host-gateway}
     * @param hostGatewayIps  what {@code host-gateway} stands for (the daemon's host-gateway-ip, default the
     *                        bridge's gateway)
     * @param ipv6            the container has IPv6 (its loopback has ::1; for the host network: the host does)
     */
    public record Hosts(String hostname, String domainname, List<String> addresses, List<String> extraHosts,
            List<String> hostGatewayIps, boolean ipv6, boolean hostNetwork) {

        public Hosts {
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
            extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
            hostGatewayIps = hostGatewayIps == null ? List.of() : List.copyOf(hostGatewayIps);
        }
    }

    /** What goes into /etc/resolv.conf: the container's (or the daemon's default) DNS overrides. */
    public record Dns(List<String> nameservers, List<String> search, List<String> options, boolean ipv6,
            boolean hostNetwork) {

        public Dns {
            nameservers = nameservers == null ? List.of() : List.copyOf(nameservers);
            search = search == null ? List.of() : List.copyOf(search);
            options = options == null ? List.of() : List.copyOf(options);
        }
    }

    /**
     * Writes all three for a container as Docker does at start: hostname and domainname from the config, DNS and
     * extra hosts from the host config.
     */
    public void writeAll(Path containerDir, ContainerConfig config, HostConfig hostConfig, String hostname,
            List<String> addresses, List<String> hostGatewayIps, boolean ipv6) throws IOException {
        boolean hostNet = NamespaceModes.isHostNetwork(hostConfig.networkMode());
        writeHostname(containerDir, hostname);
        writeHosts(containerDir, new Hosts(hostname, config.domainname(), addresses, hostConfig.extraHosts(),
                hostGatewayIps, ipv6, hostNet));
        writeResolvConf(containerDir, new Dns(hostConfig.dns(), hostConfig.dnsSearch(), hostConfig.dnsOptions(),
                ipv6, hostNet));
    }

    public void writeHostname(Path containerDir, String hostname) throws IOException {
        writeAtomically(containerDir.resolve(HOSTNAME), hostnameContent(hostname));
    }

    /** Writes hosts; with the host network and a host without /etc/hosts, writes nothing (as Docker). */
    public void writeHosts(Path containerDir, Hosts hosts) throws IOException {
        byte[] content = hostsContent(hosts);
        if (content != null) {
            writeAtomically(containerDir.resolve(HOSTS), content);
        }
    }

    public void writeResolvConf(Path containerDir, Dns dns) throws IOException {
        byte[] content = resolvConfContent(dns);
        writeAtomically(containerDir.resolve(RESOLV_CONF), content);
        writeAtomically(containerDir.resolve(RESOLV_CONF_HASH), sha256Digest(content));
    }

    static byte[] hostnameContent(String hostname) {
        return (hostname + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The hosts file, or null when Docker would write none. */
    byte[] hostsContent(Hosts h) throws IOException {
        if (h.hostNetwork() && h.extraHosts().isEmpty()) {
            // the container shares the host's network, so it gets the host's names; with --add-host it gets a
            // file of its own so that an entry can shadow one of the host's (moby PR 48823)
            try {
                return Files.readAllBytes(hostHosts);
            } catch (NoSuchFileException e) {
                return null;
            }
        }
        List<String[]> records = new ArrayList<>();
        records.add(new String[] {"127.0.0.1", "localhost"});
        List<String[]> v6 = List.of(
                new String[] {"::1", "localhost ip6-localhost ip6-loopback"},
                new String[] {"fe00::", "ip6-localnet"},
                new String[] {"ff00::", "ip6-mcastprefix"},
                new String[] {"ff02::1", "ip6-allnodes"},
                new String[] {"ff02::2", "ip6-allrouters"});
        List<String[]> extra = new ArrayList<>();
        for (String eh : h.extraHosts()) {
            int colon = eh.indexOf(':');
            if (colon <= 0) {
                throw EngineException.invalid("bad format for add-host: " + GoQuoted.of(eh));
            }
            String name = eh.substring(0, colon);
            String ip = eh.substring(colon + 1);
            if (ip.equals("host-gateway")) {
                if (h.hostGatewayIps().isEmpty()) {
                    throw EngineException.invalid("unable to derive the IP value for host-gateway");
                }
                for (String gw : h.hostGatewayIps()) {
                    extra.add(new String[] {canonical(gw, "could not parse extra host IP "), name});
                }
            } else {
                extra.add(new String[] {canonical(ip, "could not parse extra host IP "), name});
            }
        }
        String names = h.hostname() == null ? "" : h.hostname();
        if (h.domainname() != null && !h.domainname().isEmpty()) {
            names += "." + h.domainname();
        }
        int dot = names.indexOf('.');
        if (dot >= 0) {
            // the FQDN and the bare name, so both resolve
            names += " " + names.substring(0, dot);
        }
        for (String a : h.addresses()) {
            extra.add(new String[] {canonical(a, "invalid container address "), names});
        }
        StringBuilder b = new StringBuilder();
        append(b, records);
        if (h.ipv6()) {
            append(b, v6);
            append(b, extra);
        } else {
            for (String[] r : extra) {
                if (!IpAddress.parse(r[0]).is6()) {
                    append(b, List.<String[]>of(r));
                }
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    byte[] resolvConfContent(Dns dns) throws IOException {
        Path source = resolvConfSource(dns.hostNetwork());
        byte[] host;
        try {
            host = Files.readAllBytes(source);
        } catch (NoSuchFileException e) {
            host = null;
        }
        ResolvConf rc = ResolvConf.parse(host, source.toString());
        if (!dns.nameservers().isEmpty()) {
            rc.overrideNameServers(dns.nameservers());
        }
        if (!dns.search().isEmpty()) {
            rc.overrideSearch(dns.search());
        }
        if (!dns.options().isEmpty()) {
            rc.overrideOptions(dns.options());
        }
        if (!dns.hostNetwork()) {
            rc.transformForLegacyNetwork(dns.ipv6());
        }
        return rc.generate();
    }

    /**
     * The host file a container's resolv.conf starts from. The host network uses /etc/resolv.conf as it is (its
     * loopback resolvers work there); other networks skip systemd-resolved's stub for the upstream list.
     */
    Path resolvConfSource(boolean hostNetwork) throws IOException {
        if (hostNetwork) {
            return hostResolvConf;
        }
        try {
            ResolvConf rc = ResolvConf.parse(Files.readAllBytes(hostResolvConf), hostResolvConf.toString());
            List<String> ns = rc.nameServers();
            if (ns.size() == 1 && ns.get(0).equals(SYSTEMD_STUB)) {
                return systemdResolvConf;
            }
        } catch (NoSuchFileException e) {
            // no file: an empty configuration, the defaults apply
        }
        return hostResolvConf;
    }

    private static String canonical(String ip, String message) {
        IpAddress a = IpAddress.parse(ip);
        if (a == null) {
            throw EngineException.invalid(message + ip + ": ParseAddr(" + GoQuoted.of(ip) + "): unable to parse IP");
        }
        return a.toString();
    }

    private static void append(StringBuilder b, List<String[]> records) {
        for (String[] r : records) {
            b.append(r[0]).append('\t').append(r[1]).append('\n');
        }
    }

    /** "sha256:<hex>", the form of Docker's resolv.conf.hash (an OCI digest). */
    static byte[] sha256Digest(byte[] content) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(content);
            return ("sha256:" + HexFormat.of().formatHex(d)).getBytes(StandardCharsets.UTF_8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /**
     * Replaces {@code target} with {@code content}, mode 0644: a temporary file in the same directory is written
     * and renamed over the target (atomic within a filesystem), so a process reading the file never sees a torn
     * one. Not flushed to disk: these files are written anew at every start, so a crash can lose nothing they
     * hold, and two fsyncs per file would be most of the time a start spends on them.
     */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        byte[] rnd = new byte[8];
        RANDOM.nextBytes(rnd);
        Path tmp = dir.resolve(".tmp-" + target.getFileName() + "-" + HexFormat.of().formatHex(rnd));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }
}
