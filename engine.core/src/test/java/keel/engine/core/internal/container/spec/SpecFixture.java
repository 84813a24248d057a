package keel.engine.core.internal.container.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.HostConfig;
import keel.engine.api.oci.Linux;

/**
 * A container on a fake host: a busybox-like rootfs (its real /etc/passwd and /etc/group plus an "app" user), a
 * container directory holding hostname/hosts/resolv.conf, fixed host facts (cgroup v2, 4 CPUs, every capability,
 * kernel with mount_setattr), two fake host devices and a mount table where everything is shared.
 */
final class SpecFixture {

    static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            daemon:x:1:1:daemon:/usr/sbin:/bin/false
            bin:x:2:2:bin:/bin:/bin/false
            sys:x:3:3:sys:/dev:/bin/false
            sync:x:4:100:sync:/bin:/bin/sync
            mail:x:8:8:mail:/var/spool/mail:/bin/false
            www-data:x:33:33:www-data:/var/www:/bin/false
            operator:x:37:37:Operator:/var:/bin/false
            nobody:x:65534:65534:nobody:/home:/bin/false
            app:x:1000:1000:app:/home/app:/bin/sh
            """;

    static final String GROUP = """
            root:x:0:
            daemon:x:1:
            bin:x:2:
            sys:x:3:
            adm:x:4:
            tty:x:5:
            disk:x:6:
            lp:x:7:
            mail:x:8:
            kmem:x:9:
            wheel:x:10:root
            cdrom:x:11:
            dialout:x:18:
            floppy:x:19:
            video:x:28:
            audio:x:29:
            tape:x:32:
            www-data:x:33:
            operator:x:37:
            utmp:x:43:
            plugdev:x:46:
            staff:x:50:
            lock:x:54:
            netdev:x:82:
            users:x:100:
            nogroup:x:65534:
            app:x:1000:
            devs:x:1500:app,nobody
            """;

    /** busybox's image config: PATH and sh. */
    static final ContainerConfig BUSYBOX = ContainerConfig.builder()
            .image("busybox")
            .env(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"))
            .cmd(List.of("sh"))
            .build();

    static final Linux.Device NULL_DEVICE = new Linux.Device("c", "/dev/null", 1, 3, 0666, 0L, 0L);
    static final Linux.Device SDA_DEVICE = new Linux.Device("b", "/dev/sda", 8, 0, 0660, 0L, 6L);
    static final Linux.Device FUSE_DEVICE = new Linux.Device("c", "/dev/fuse", 10, 229, 0666, 0L, 0L);

    final Path tmp;
    final Path rootfs;
    final Path containerDir;
    final Path netns;
    final Path initBinary;

    SpecFixture(Path tmp) throws IOException {
        this.tmp = tmp.toRealPath();
        this.rootfs = this.tmp.resolve("rootfs");
        this.containerDir = this.tmp.resolve("container");
        this.netns = this.tmp.resolve("netns");
        this.initBinary = this.tmp.resolve("bin/docker-init");
        Files.createDirectories(rootfs.resolve("etc"));
        Files.createDirectories(rootfs.resolve("bin"));
        Files.createDirectories(rootfs.resolve("root"));
        Files.writeString(rootfs.resolve("etc/passwd"), PASSWD);
        Files.writeString(rootfs.resolve("etc/group"), GROUP);
        Files.createDirectories(containerDir);
        Files.writeString(containerDir.resolve("hostname"), "0123456789ab\n");
        Files.writeString(containerDir.resolve("hosts"), "127.0.0.1\tlocalhost\n");
        Files.writeString(containerDir.resolve("resolv.conf"), "nameserver 8.8.8.8\n");
        Files.createDirectories(initBinary.getParent());
        Files.writeString(initBinary, "#!tini\n");
        Files.createDirectories(this.tmp.resolve("data-root"));
    }

    HostFacts facts() {
        return new HostFacts(2, 4, "0-3", "0", CapabilitySet.KNOWN, true, List.of(), true, true, true, "keel-host",
                tmp.resolve("data-root"), false);
    }

    OciSpecBuilder builder() {
        return builder(facts());
    }

    OciSpecBuilder builder(HostFacts facts) {
        return new OciSpecBuilder(facts, DaemonDefaults.DOCKER, devices(), everythingShared());
    }

    static DeviceNodes devices() {
        Map<String, Linux.Device> byPath = Map.of("/dev/null", NULL_DEVICE, "/dev/sda", SDA_DEVICE, "/dev/fuse",
                FUSE_DEVICE);
        return new DeviceNodes() {
            @Override
            public Linux.Device lookup(Path hostPath) throws IOException {
                Linux.Device d = byPath.get(hostPath.toString());
                if (d == null) {
                    throw new NoSuchFileException(hostPath.toString());
                }
                return d;
            }

            @Override
            public List<Linux.Device> hostDevices() {
                return List.of(NULL_DEVICE, SDA_DEVICE);
            }
        };
    }

    static MountTable everythingShared() {
        return path -> new MountTable.MountInfo("/", "shared:1");
    }

    static MountTable everythingPrivate() {
        return path -> new MountTable.MountInfo("/", "");
    }

    SpecRequest request(ContainerConfig config, HostConfig hostConfig) {
        boolean hostNet = "host".equals(hostConfig.networkMode());
        return new SpecRequest(ID, config, hostConfig, rootfs, containerDir,
                hostNet ? SpecRequest.NetworkNamespace.host() : SpecRequest.NetworkNamespace.at(netns), initBinary,
                "/keel/" + ID, null);
    }

    /** The spec's JSON with this fixture's temporary directory shown as @TMP@, so goldens do not depend on it. */
    String normalized(Object specOrPart) {
        return OciSpecJson.pretty(specOrPart).replace(tmp.toString(), "@TMP@");
    }

    String read(String name) throws IOException {
        return Files.readString(tmp.resolve(name), StandardCharsets.UTF_8);
    }

    /** A HostConfig with the given components set; everything else null, as a fresh `docker create` sends. */
    static HostConfigBuilder hostConfig() {
        return new HostConfigBuilder();
    }

    /** HostConfig has 54 components and no builder in engine.api; tests need a few at a time. */
    static final class HostConfigBuilder {
        List<String> binds, capAdd, capDrop, dns, dnsOptions, dnsSearch, extraHosts, groupAdd, links, securityOpt,
                maskedPaths, readonlyPaths;
        String networkMode = "bridge", cgroupnsMode, ipcMode, pidMode, utsMode, cpusetCpus, cpusetMems, isolation;
        HostConfig.RestartPolicy restartPolicy;
        Boolean autoRemove, privileged, readonlyRootfs, oomKillDisable, init, publishAllPorts;
        List<Integer> consoleSize;
        Integer oomScoreAdj;
        Long shmSize, cpuShares, memory, nanoCpus, cpuPeriod, cpuQuota, memoryReservation, memorySwap,
                memorySwappiness, pidsLimit;
        Map<String, String> tmpfs, sysctls;
        Map<String, List<HostConfig.PortBinding>> portBindings;
        List<HostConfig.DeviceMapping> devices;
        List<HostConfig.Ulimit> ulimits;
        List<keel.engine.api.container.MountSpec> mounts;

        HostConfigBuilder networkMode(String v) { networkMode = v; return this; }
        HostConfigBuilder binds(String... v) { binds = List.of(v); return this; }
        HostConfigBuilder capAdd(String... v) { capAdd = List.of(v); return this; }
        HostConfigBuilder capDrop(String... v) { capDrop = List.of(v); return this; }
        HostConfigBuilder groupAdd(String... v) { groupAdd = List.of(v); return this; }
        HostConfigBuilder securityOpt(String... v) { securityOpt = List.of(v); return this; }
        HostConfigBuilder extraHosts(String... v) { extraHosts = List.of(v); return this; }
        HostConfigBuilder dns(String... v) { dns = List.of(v); return this; }
        HostConfigBuilder links(String... v) { links = List.of(v); return this; }
        HostConfigBuilder privileged() { privileged = true; return this; }
        HostConfigBuilder readonlyRootfs() { readonlyRootfs = true; return this; }
        HostConfigBuilder init() { init = true; return this; }
        HostConfigBuilder autoRemove() { autoRemove = true; return this; }
        HostConfigBuilder restart(String name, int retries) {
            restartPolicy = new HostConfig.RestartPolicy(name, retries);
            return this;
        }
        HostConfigBuilder tmpfs(Map<String, String> v) { tmpfs = v; return this; }
        HostConfigBuilder sysctls(Map<String, String> v) { sysctls = v; return this; }
        HostConfigBuilder mounts(keel.engine.api.container.MountSpec... v) { mounts = List.of(v); return this; }
        HostConfigBuilder devices(HostConfig.DeviceMapping... v) { devices = List.of(v); return this; }
        HostConfigBuilder ulimits(HostConfig.Ulimit... v) { ulimits = List.of(v); return this; }
        HostConfigBuilder memory(long v) { memory = v; return this; }
        HostConfigBuilder memorySwap(long v) { memorySwap = v; return this; }
        HostConfigBuilder memoryReservation(long v) { memoryReservation = v; return this; }
        HostConfigBuilder memorySwappiness(long v) { memorySwappiness = v; return this; }
        HostConfigBuilder oomKillDisable(boolean v) { oomKillDisable = v; return this; }
        HostConfigBuilder nanoCpus(long v) { nanoCpus = v; return this; }
        HostConfigBuilder cpuPeriod(long v) { cpuPeriod = v; return this; }
        HostConfigBuilder cpuQuota(long v) { cpuQuota = v; return this; }
        HostConfigBuilder cpuShares(long v) { cpuShares = v; return this; }
        HostConfigBuilder cpusetCpus(String v) { cpusetCpus = v; return this; }
        HostConfigBuilder cpusetMems(String v) { cpusetMems = v; return this; }
        HostConfigBuilder pidsLimit(long v) { pidsLimit = v; return this; }
        HostConfigBuilder shmSize(long v) { shmSize = v; return this; }
        HostConfigBuilder ipcMode(String v) { ipcMode = v; return this; }
        HostConfigBuilder pidMode(String v) { pidMode = v; return this; }
        HostConfigBuilder utsMode(String v) { utsMode = v; return this; }
        HostConfigBuilder cgroupnsMode(String v) { cgroupnsMode = v; return this; }
        HostConfigBuilder consoleSize(int h, int w) { consoleSize = List.of(h, w); return this; }
        HostConfigBuilder oomScoreAdj(int v) { oomScoreAdj = v; return this; }
        HostConfigBuilder maskedPaths(String... v) { maskedPaths = List.of(v); return this; }
        HostConfigBuilder readonlyPaths(String... v) { readonlyPaths = List.of(v); return this; }
        HostConfigBuilder portBindings(Map<String, List<HostConfig.PortBinding>> v) { portBindings = v; return this; }
        HostConfigBuilder isolation(String v) { isolation = v; return this; }

        HostConfig build() {
            return new HostConfig(binds, null, null, networkMode, portBindings, restartPolicy, autoRemove, null, null,
                    consoleSize, capAdd, capDrop, cgroupnsMode, dns, dnsOptions, dnsSearch, extraHosts, groupAdd,
                    ipcMode, null, links, oomScoreAdj, pidMode, privileged, publishAllPorts, readonlyRootfs,
                    securityOpt, null, tmpfs, utsMode, null, shmSize, sysctls, null, isolation, cpuShares, memory,
                    nanoCpus, null, cpuPeriod, cpuQuota, cpusetCpus, cpusetMems, devices, memoryReservation,
                    memorySwap, memorySwappiness, oomKillDisable, pidsLimit, ulimits, mounts, maskedPaths,
                    readonlyPaths, init);
        }
    }
}
