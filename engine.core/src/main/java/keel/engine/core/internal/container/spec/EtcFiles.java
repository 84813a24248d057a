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
 * Each file is replaced atomically (written beside, renamed) before a start. A file already bind-mounted into a
 * running container keeps its old inode after a rename: after a network connect or disconnect,
 * {@link #updateNetwork} rewrites hosts and resolv.conf in place instead.
 *
 * <p>With a network that has service discovery, resolv.conf names the embedded DNS server (127.0.0.11, option
 * ndots:0) and lists the host's nameservers as its upstreams in a comment (Docker's TransformForIntNS).
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

    /**
     * What goes into /etc/resolv.conf: the container's (or the daemon's default) DNS overrides, and whether the
     * embedded DNS server (127.0.0.11) serves the container (a network with service discovery).
     */
    public record Dns(List<String> nameservers, List<String> search, List<String> options, boolean ipv6,
            boolean hostNetwork, boolean internalResolver) {

        public Dns {
            nameservers = nameservers == null ? List.of() : List.copyOf(nameservers);
            search = search == null ? List.of() : List.copyOf(search);
            options = options == null ? List.of() : List.copyOf(options);
        }

        public Dns(List<String> nameservers, List<String> search, List<String> options, boolean ipv6,
                boolean hostNetwork) {
            this(nameservers, search, options, ipv6, hostNetwork, false);
        }
    }

    /**
     * The networks' part of the files: the container's addresses, what {@code host-gateway} stands for, whether
     * the embedded DNS server serves it, and the DNS settings in force (the container's, else the daemon's).
     */
    public record Network(List<String> addresses, List<String> hostGatewayIps, boolean internalResolver,
            List<String> dns, List<String> dnsSearch, List<String> dnsOptions) {}

    /** The embedded DNS server's address (Docker's resolverIPSandbox) and the options it needs. */
    static final String INTERNAL_RESOLVER = "127.0.0.11";
    static final List<String> INTERNAL_RESOLVER_OPTIONS = List.of("ndots:0");

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

    /** Writes all three before a start, with the container's networks. */
    public void writeAll(Path containerDir, ContainerConfig config, HostConfig hostConfig, String hostname,
            Network net, boolean ipv6) throws IOException {
        boolean hostNet = NamespaceModes.isHostNetwork(hostConfig.networkMode());
        writeHostname(containerDir, hostname);
        writeHosts(containerDir, new Hosts(hostname, config.domainname(), net.addresses(), hostConfig.extraHosts(),
                net.hostGatewayIps(), ipv6, hostNet));
        writeResolvConf(containerDir, new Dns(net.dns(), net.dnsSearch(), net.dnsOptions(), ipv6, hostNet,
                net.internalResolver()));
    }

    /**
     * Writes hosts and resolv.conf again once a start has joined the container's networks, over the files written
     * ahead of it by {@link #writeAll}: the same content {@code writeAll} would write now, put in place (the
     * container's root, made ahead too, has them bind-mounted already). A file that would not change is left alone.
     */
    public void rewriteNetwork(Path containerDir, ContainerConfig config, HostConfig hostConfig, String hostname,
            Network net, boolean ipv6) throws IOException {
        boolean hostNet = NamespaceModes.isHostNetwork(hostConfig.networkMode());
        byte[] hosts = hostsContent(new Hosts(hostname, config.domainname(), net.addresses(),
                hostConfig.extraHosts(), net.hostGatewayIps(), ipv6, hostNet));
        if (hosts != null) {
            replaceIfChanged(containerDir.resolve(HOSTS), hosts);
        }
        byte[] resolv = resolvConfContent(new Dns(net.dns(), net.dnsSearch(), net.dnsOptions(), ipv6, hostNet,
                net.internalResolver()));
        if (replaceIfChanged(containerDir.resolve(RESOLV_CONF), resolv)) {
            writeAtomically(containerDir.resolve(RESOLV_CONF_HASH), sha256Digest(resolv));
        }
    }

    private static boolean replaceIfChanged(Path file, byte[] content) throws IOException {
        try {
            if (java.util.Arrays.equals(Files.readAllBytes(file), content)) {
                return false;
            }
        } catch (NoSuchFileException e) {
            // written now
        }
        rewriteInPlace(file, content);
        return true;
    }

    /**
     * Brings a running container's hosts and resolv.conf up to date after a network connect or disconnect, as
     * Docker does: a hosts line naming the container is added for each new address and removed for each address
     * gone (the rest of the file, user edits included, stays); resolv.conf is made again unless the user edited it
     * (its content no longer matches resolv.conf.hash). The files are bind-mounted into the container, so a rename
     * would not reach it: they are rewritten in place, see {@link #rewriteInPlace}.
     */
    public void updateNetwork(Path containerDir, ContainerConfig config, HostConfig hostConfig, String hostname,
            Network net, boolean ipv6) throws IOException {
        boolean hostNet = NamespaceModes.isHostNetwork(hostConfig.networkMode());
        if (hostNet) {
            return; // the host's files: no addresses of its own, no resolver
        }
        Path hosts = containerDir.resolve(HOSTS);
        String names = hostsNames(hostname, config.domainname());
        java.util.Set<String> want = new java.util.LinkedHashSet<>();
        for (String a : net.addresses()) {
            IpAddress ip = IpAddress.parse(a);
            if (ip != null && (ipv6 || !ip.is6())) {
                want.add(ip.toString());
            }
        }
        java.util.Set<String> extra = new java.util.HashSet<>();
        if (hostConfig.extraHosts() != null) {
            for (String eh : hostConfig.extraHosts()) {
                IpAddress ip = IpAddress.parse(eh.substring(eh.indexOf(':') + 1));
                if (ip != null) {
                    extra.add(ip.toString());
                }
            }
        }
        List<String> lines = new ArrayList<>();
        try {
            String current = Files.readString(hosts, StandardCharsets.UTF_8);
            for (String line : current.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", 2);
                IpAddress ip = f.length == 2 ? IpAddress.parse(f[0]) : null;
                if (ip != null && f[1].equals(names) && !want.contains(ip.toString())
                        && !extra.contains(ip.toString())) {
                    continue; // an address the container no longer has
                }
                if (ip != null && f[1].equals(names)) {
                    want.remove(ip.toString());
                }
                lines.add(line);
            }
        } catch (NoSuchFileException e) {
            writeHosts(containerDir, new Hosts(hostname, config.domainname(), net.addresses(),
                    hostConfig.extraHosts(), net.hostGatewayIps(), ipv6, false));
            lines = null;
        }
        if (lines != null) {
            for (String a : want) {
                lines.add(a + "\t" + names);
            }
            rewriteInPlace(hosts, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path resolv = containerDir.resolve(RESOLV_CONF);
        Path hash = containerDir.resolve(RESOLV_CONF_HASH);
        try {
            byte[] recorded = Files.readAllBytes(hash);
            if (!java.util.Arrays.equals(recorded, sha256Digest(Files.readAllBytes(resolv)))) {
                return; // edited by the user: Docker leaves it alone from then on
            }
        } catch (NoSuchFileException e) {
            // never written, or no hash kept: made anew
        }
        byte[] content = resolvConfContent(new Dns(net.dns(), net.dnsSearch(), net.dnsOptions(), ipv6, false,
                net.internalResolver()));
        rewriteInPlace(resolv, content);
        writeAtomically(hash, sha256Digest(content));
    }

    /**
     * Replaces a file's content keeping its inode (a bind mount of it in a running container sees the change),
     * without a reader ever seeing a torn or empty file: the new content goes in with ONE positioned write over
     * the old, padded with newlines up to the old length when shorter, and the padding is cut off afterwards. A
     * reader meanwhile sees the old content, or the new one followed by blank lines, which hosts and resolv.conf
     * readers skip. (Truncating first, as a plain rewrite does, would show an empty file for a moment.)
     */
    static void rewriteInPlace(Path target, byte[] content) throws IOException {
        if (!Files.exists(target)) {
            writeAtomically(target, content);
            return;
        }
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
            long old = ch.size();
            byte[] padded = content;
            if (old > content.length) {
                padded = java.util.Arrays.copyOf(content, (int) old);
                java.util.Arrays.fill(padded, content.length, padded.length, (byte) '\n');
            }
            ByteBuffer buf = ByteBuffer.wrap(padded);
            long pos = 0;
            while (buf.hasRemaining()) {
                pos += ch.write(buf, pos);
            }
            if (old > content.length) {
                ch.truncate(content.length);
            }
        }
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
        String names = hostsNames(h.hostname(), h.domainname());
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

    /** The names of a container's own hosts lines: its FQDN, and the bare name when that differs. */
    static String hostsNames(String hostname, String domainname) {
        String names = hostname == null ? "" : hostname;
        if (domainname != null && !domainname.isEmpty()) {
            names += "." + domainname;
        }
        int dot = names.indexOf('.');
        if (dot >= 0) {
            // the FQDN and the bare name, so both resolve
            names += " " + names.substring(0, dot);
        }
        return names;
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
        if (dns.internalResolver() && !dns.hostNetwork()) {
            rc.transformForInternalResolver(INTERNAL_RESOLVER, INTERNAL_RESOLVER_OPTIONS);
        } else if (!dns.hostNetwork()) {
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
        if (!dir.toFile().isDirectory()) { // JDK 17 finds an existing one by an exception
            Files.createDirectories(dir);
        }
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
