package keel.engine.core.internal.container.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.MountSpec;

/** Create-time checks with dockerd's messages (daemon_unix.go, container.go, runconfig, volume/mounts, runc). */
class HostConfigValidatorTest {

    @TempDir
    Path tmp;

    SpecFixture fx;
    HostConfigValidator validator;

    @BeforeEach
    void setUp() throws IOException {
        fx = new SpecFixture(tmp);
        validator = new HostConfigValidator(fx.facts());
    }

    private List<String> ok(SpecFixture.HostConfigBuilder hc) {
        return validator.validate(SpecFixture.BUSYBOX, hc.build());
    }

    private void invalid(String message, SpecFixture.HostConfigBuilder hc) {
        Failures.invalid(message, () -> validator.validate(SpecFixture.BUSYBOX, hc.build()));
    }

    private void invalid(String message, ContainerConfig c, SpecFixture.HostConfigBuilder hc) {
        Failures.invalid(message, () -> validator.validate(c, hc.build()));
    }

    @Test
    void aPlainContainerPassesWithoutWarnings() {
        assertEquals(List.of(), ok(SpecFixture.hostConfig()));
        assertEquals(List.of(), validator.validate(null, null));
    }

    @Test
    void memory() {
        invalid("Minimum memory limit allowed is 6MB", SpecFixture.hostConfig().memory(1024 * 1024));
        invalid("Minimum memoryswap limit should be larger than memory limit, see usage",
                SpecFixture.hostConfig().memory(64L << 20).memorySwap(32L << 20));
        invalid("You should always set the Memory limit when using Memoryswap limit, see usage",
                SpecFixture.hostConfig().memorySwap(64L << 20));
        invalid("Minimum memory reservation allowed is 6MB", SpecFixture.hostConfig().memoryReservation(1024));
        invalid("Minimum memory limit can not be less than memory reservation limit, see usage",
                SpecFixture.hostConfig().memory(64L << 20).memoryReservation(128L << 20));
        assertEquals(List.of(), ok(SpecFixture.hostConfig().memory(6L << 20).memorySwap(-1)));
    }

    @Test
    void swappinessAndOomKillerOnCgroupV1AndV2() {
        HostConfigValidator v1 = new HostConfigValidator(fx.facts().withCgroupVersion(1));
        Failures.invalid("Invalid value: 101, valid memory swappiness range is 0-100",
                () -> v1.validate(SpecFixture.BUSYBOX, SpecFixture.hostConfig().memorySwappiness(101).build()));
        assertEquals(List.of(), v1.validate(SpecFixture.BUSYBOX,
                SpecFixture.hostConfig().memorySwappiness(-1).build()));
        assertEquals(List.of("OOM killer is disabled for the container, but no memory limit is set, this can result "
                + "in the system running out of resources."),
                v1.validate(SpecFixture.BUSYBOX, SpecFixture.hostConfig().oomKillDisable(true).build()));
        // cgroup v2 has neither: Docker discards them with a warning
        assertEquals(List.of("Your kernel does not support memory swappiness capabilities or the cgroup is not "
                + "mounted. Memory swappiness discarded.",
                "Your kernel does not support OomKillDisable. OomKillDisable discarded."),
                ok(SpecFixture.hostConfig().memorySwappiness(101).oomKillDisable(true)));
        HostConfigValidator noSwap = new HostConfigValidator(fx.facts().withSwapLimit(false));
        assertEquals(List.of("Your kernel does not support swap limit capabilities or the cgroup is not mounted. "
                + "Memory limited without swap."),
                noSwap.validate(SpecFixture.BUSYBOX, SpecFixture.hostConfig().memory(64L << 20).build()));
    }

    @Test
    void cpu() {
        invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set",
                SpecFixture.hostConfig().nanoCpus(1_000_000_000L).cpuPeriod(100_000));
        invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set",
                SpecFixture.hostConfig().nanoCpus(1_000_000_000L).cpuQuota(50_000));
        invalid("range of CPUs is from 0.01 to 4.00, as there are only 4 CPUs available",
                SpecFixture.hostConfig().nanoCpus(5_000_000_000L));
        invalid("range of CPUs is from 0.01 to 4.00, as there are only 4 CPUs available",
                SpecFixture.hostConfig().nanoCpus(-1));
        invalid("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)",
                SpecFixture.hostConfig().cpuPeriod(999));
        invalid("CPU cfs quota can not be less than 1ms (i.e. 1000)", SpecFixture.hostConfig().cpuQuota(999));
        invalid("invalid CPU shares (-2): value must be a positive integer", SpecFixture.hostConfig().cpuShares(-2));
        assertEquals(List.of(), ok(SpecFixture.hostConfig().nanoCpus(4_000_000_000L)));
    }

    @Test
    void cpuset() {
        assertEquals(List.of(), ok(SpecFixture.hostConfig().cpusetCpus("0-1,3").cpusetMems("0")));
        invalid("Invalid value 0-a for cpuset cpus: invalid format: 0-a", SpecFixture.hostConfig().cpusetCpus("0-a"));
        invalid("Invalid value 3-1 for cpuset cpus: invalid format: 3-1", SpecFixture.hostConfig().cpusetCpus("3-1"));
        invalid("Requested CPUs are not available - requested 0-7, available: 0-3",
                SpecFixture.hostConfig().cpusetCpus("0-7"));
        invalid("Invalid value 1-9223372036854775807 for cpuset cpus: value of out range, maximum is 8192",
                SpecFixture.hostConfig().cpusetCpus("1-9223372036854775807"));
        invalid("Invalid value 0-100000 for cpuset cpus: value of out range, maximum is 8192",
                SpecFixture.hostConfig().cpusetCpus("0-100000"));
        invalid("Requested memory nodes are not available - requested 1, available: 0",
                SpecFixture.hostConfig().cpusetMems("1"));
    }

    @Test
    void capabilities() {
        invalid("invalid CapAdd: unknown capability: \"CAP_FOO\"", SpecFixture.hostConfig().capAdd("foo"));
        invalid("invalid CapDrop: unknown capability: \"CAP_NOPE\"", SpecFixture.hostConfig().capDrop("CAP_nope"));
        assertEquals(List.of(), ok(SpecFixture.hostConfig().capAdd("all", "cap_sys_admin").capDrop("ALL")));
        HostConfigValidator limited = new HostConfigValidator(fx.facts().withCapabilities(CapabilitySet.DEFAULT));
        Failures.invalid("invalid CapAdd: capability not supported by your kernel or not available in the current "
                + "environment: \"CAP_SYS_ADMIN\"", () -> limited.validate(SpecFixture.BUSYBOX,
                        SpecFixture.hostConfig().capAdd("SYS_ADMIN").build()));
    }

    @Test
    void restartPolicies() {
        invalid("can't create 'AutoRemove' container with restart policy",
                SpecFixture.hostConfig().autoRemove().restart("always", 0));
        assertEquals(List.of(), ok(SpecFixture.hostConfig().autoRemove().restart("no", 0)));
        invalid("invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or "
                + "'unless-stopped'", SpecFixture.hostConfig().restart("sometimes", 0));
        invalid("invalid restart policy: maximum retry count can only be used with 'on-failure'",
                SpecFixture.hostConfig().restart("always", 3));
        invalid("invalid restart policy: maximum retry count can only be used with 'on-failure' and cannot be "
                + "negative", SpecFixture.hostConfig().restart("unless-stopped", -1));
        invalid("invalid restart policy: maximum retry count cannot be negative",
                SpecFixture.hostConfig().restart("on-failure", -1));
        assertEquals(List.of(), ok(SpecFixture.hostConfig().restart("on-failure", 5)));
    }

    @Test
    void namespaceModes() {
        invalid("invalid IPC mode: bogus", SpecFixture.hostConfig().ipcMode("bogus"));
        invalid("invalid PID mode: container:", SpecFixture.hostConfig().pidMode("container:"));
        invalid("invalid UTS mode: private", SpecFixture.hostConfig().utsMode("private"));
        invalid("invalid cgroup namespace mode: shared", SpecFixture.hostConfig().cgroupnsMode("shared"));
        invalid("SHM size can not be less than 0", SpecFixture.hostConfig().shmSize(-1));
        invalid("Invalid value 1001, range for oom score adj is [-1000, 1000]", SpecFixture.hostConfig().oomScoreAdj(1001));
        invalid("invalid isolation (hyperv): linux only supports 'default'", SpecFixture.hostConfig().isolation("hyperv"));
    }

    @Test
    void networkModes() {
        for (String mode : List.of("host", "none", "bridge", "default", "container:web", "my-net")) {
            assertEquals(List.of(), ok(SpecFixture.hostConfig().networkMode(mode)), mode);
        }
        invalid("invalid network mode: invalid container format container:<name|id>",
                SpecFixture.hostConfig().networkMode("container:"));
        invalid("invalid network mode: invalid container format container:<name|id>",
                SpecFixture.hostConfig().networkMode("container"));
        invalid("conflicting options: hostname and the network mode",
                SpecFixture.BUSYBOX.toBuilder().hostname("h").build(),
                SpecFixture.hostConfig().networkMode("container:web"));
        invalid("conflicting options: dns and the network mode",
                SpecFixture.hostConfig().networkMode("container:web").dns("1.1.1.1"));
        invalid("conflicting options: custom host-to-IP mapping and the network mode",
                SpecFixture.hostConfig().networkMode("container:web").extraHosts("a:1.2.3.4"));
        invalid("conflicting options: port publishing and the container type network mode",
                SpecFixture.hostConfig().networkMode("container:web")
                        .portBindings(Map.of("80/tcp", List.of(new HostConfig.PortBinding("", "8080")))));
        invalid("conflicting options: host type networking can't be used with links. This would result in "
                + "undefined behavior", SpecFixture.hostConfig().networkMode("host").links("db:db"));
        invalid("conflicting options: hostname and the UTS mode", SpecFixture.BUSYBOX.toBuilder().hostname("h").build(),
                SpecFixture.hostConfig().utsMode("host"));
        assertEquals(List.of("Published ports are discarded when using host network mode"),
                ok(SpecFixture.hostConfig().networkMode("host")
                        .portBindings(Map.of("80/tcp", List.of(new HostConfig.PortBinding("", "8080"))))));
    }

    @Test
    void containerConfig() {
        invalid("the working directory 'app' is invalid, it needs to be an absolute path",
                SpecFixture.BUSYBOX.toBuilder().workingDir("app").build(), SpecFixture.hostConfig());
        invalid("invalid environment variable: =x", SpecFixture.BUSYBOX.toBuilder().env(List.of("=x")).build(),
                SpecFixture.hostConfig());
        invalid("Interval in Healthcheck cannot be less than 1ms", SpecFixture.BUSYBOX.toBuilder()
                .healthcheck(new ContainerConfig.HealthConfig(List.of("CMD", "true"), 1000L, null, null, null, null))
                .build(), SpecFixture.hostConfig());
        invalid("Retries in Healthcheck cannot be negative", SpecFixture.BUSYBOX.toBuilder()
                .healthcheck(new ContainerConfig.HealthConfig(List.of("CMD", "true"), null, null, null, null, -1))
                .build(), SpecFixture.hostConfig());
    }

    @Test
    void extraHosts() {
        assertEquals(List.of(), ok(SpecFixture.hostConfig().extraHosts("db:10.0.0.5", "gw:host-gateway", "v6:::1")));
        invalid("bad format for add-host: \"db\"", SpecFixture.hostConfig().extraHosts("db"));
        invalid("bad format for add-host: \":1.2.3.4\"", SpecFixture.hostConfig().extraHosts(":1.2.3.4"));
        invalid("invalid IP address in add-host: \"1.2.3\"", SpecFixture.hostConfig().extraHosts("db:1.2.3"));
    }

    @Test
    void binds() throws IOException {
        String t = fx.tmp.toString();
        assertEquals(List.of(), ok(SpecFixture.hostConfig().binds(t + ":/a", t + ":/b:ro,z", t + ":/c:rslave,rw")));
        invalid("invalid mode: rw,ro", SpecFixture.hostConfig().binds(t + ":/a:rw,ro"));
        invalid("invalid mode: bogus", SpecFixture.hostConfig().binds(t + ":/a:bogus"));
        invalid("invalid volume specification: '/foo:rw'", SpecFixture.hostConfig().binds("/foo:rw"));
        invalid("invalid volume specification: '" + t + ":rel': invalid mount config for type \"bind\": invalid "
                + "mount path: 'rel' mount path must be absolute", SpecFixture.hostConfig().binds(t + ":rel"));
        invalid("invalid volume specification: '" + t + ":/': invalid mount config for type \"bind\": invalid "
                + "specification: destination can't be '/'", SpecFixture.hostConfig().binds(t + ":/"));
        invalid("invalid volume specification: '" + t + ":/a:nocopy': invalid mount config for type \"bind\": field "
                + "VolumeOptions must not be specified", SpecFixture.hostConfig().binds(t + ":/a:nocopy"));
        invalid("volumes are not supported yet", SpecFixture.hostConfig().binds("data:/data"));
        invalid("volumes are not supported yet", SpecFixture.hostConfig().binds("/data"));
        invalid("Duplicate mount point: /a", SpecFixture.hostConfig().binds(t + ":/a", t + ":/a/"));
        invalid("Duplicate mount point: /run", SpecFixture.hostConfig().binds(t + ":/run")
                .tmpfs(Map.of("/run", "")));
        // the data root may only be bound with slave or shared propagation
        Files.createDirectories(tmp.resolve("data-root"));
        invalid("invalid mount config: must use either propagation mode \"rslave\" or \"rshared\" when mount source "
                + "is within the daemon root, daemon root: \"" + t + "/data-root\", bind mount source: \"" + t
                + "/data-root\", propagation: \"private\"",
                SpecFixture.hostConfig().binds(t + "/data-root:/d:private"));
    }

    @Test
    void mounts() throws IOException {
        String t = fx.tmp.toString();
        invalid("invalid mount config for type \"bind\": bind source path does not exist: /no/such/dir",
                SpecFixture.hostConfig().mounts(new MountSpec("bind", "/no/such/dir", "/x", null, null, null, null)));
        assertEquals(List.of(), ok(SpecFixture.hostConfig().mounts(new MountSpec("bind", "/no/such/dir", "/x", null,
                null, new MountSpec.BindOptions(null, null, true), null))));
        invalid("invalid mount config for type \"bind\": field Source must not be empty",
                SpecFixture.hostConfig().mounts(new MountSpec("bind", "", "/x", null, null, null, null)));
        invalid("invalid mount config for type \"bind\": field Target must not be empty",
                SpecFixture.hostConfig().mounts(new MountSpec("bind", t, "", null, null, null, null)));
        invalid("invalid mount config for type \"bind\": invalid propagation mode: bogus",
                SpecFixture.hostConfig().mounts(new MountSpec("bind", t, "/x", null, null,
                        new MountSpec.BindOptions("bogus", null, null), null)));
        invalid("invalid mount config for type \"tmpfs\": field Source must not be specified",
                SpecFixture.hostConfig().mounts(new MountSpec("tmpfs", "x", "/x", null, null, null, null)));
        invalid("invalid mount config for type \"tmpfs\": field BindOptions must not be specified",
                SpecFixture.hostConfig().mounts(new MountSpec("tmpfs", null, "/x", null, null,
                        new MountSpec.BindOptions(null, null, null), null)));
        invalid("invalid mount config for type \"nfs\": mount type unknown",
                SpecFixture.hostConfig().mounts(new MountSpec("nfs", t, "/x", null, null, null, null)));
        invalid("volumes are not supported yet",
                SpecFixture.hostConfig().mounts(new MountSpec("volume", "data", "/x", null, null, null, null)));
        invalid("Duplicate mount point: /x/", SpecFixture.hostConfig().binds(t + ":/x")
                .mounts(new MountSpec("bind", t, "/x/", null, null, null, null)));
    }

    @Test
    void tmpfs() {
        invalid("invalid mount path: 'run' mount path must be absolute",
                SpecFixture.hostConfig().tmpfs(Map.of("run", "")));
        invalid("invalid specification: destination can't be '/'", SpecFixture.hostConfig().tmpfs(Map.of("/", "")));
        invalid("invalid tmpfs option [\"bogus\"]", SpecFixture.hostConfig().tmpfs(Map.of("/run", "rw,bogus")));
        invalid("invalid tmpfs option [\"foo\" \"1\"]", SpecFixture.hostConfig().tmpfs(Map.of("/run", "foo=1")));
        assertEquals(List.of(), ok(SpecFixture.hostConfig().tmpfs(Map.of("/run", "rw,exec,size=1g,mode=1777,uid=5"))));
    }

    @Test
    void ulimits() {
        invalid("invalid ulimit type: bogus",
                SpecFixture.hostConfig().ulimits(new HostConfig.Ulimit("bogus", 1, 1)));
        invalid("ulimit soft limit must be less than or equal to hard limit: 2048 > 1024",
                SpecFixture.hostConfig().ulimits(new HostConfig.Ulimit("nofile", 2048, 1024)));
        invalid("ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: 10",
                SpecFixture.hostConfig().ulimits(new HostConfig.Ulimit("core", -1, 10)));
        assertEquals(List.of(), ok(SpecFixture.hostConfig().ulimits(new HostConfig.Ulimit("core", -1, -1),
                new HostConfig.Ulimit("nproc", 100, -1))));
    }

    @Test
    void sysctlsFollowRuncsNamespaceRules() {
        assertEquals(List.of(), ok(SpecFixture.hostConfig().sysctls(Map.of("net.ipv4.ip_forward", "1",
                "kernel.shmmax", "1000", "fs.mqueue.msg_max", "20", "kernel.domainname", "x",
                "net/ipv4/conf/eth0.100/rp_filter", "0"))));
        invalid("sysctl \"net.ipv4.ip_forward\" not allowed in host network namespace",
                SpecFixture.hostConfig().networkMode("host").sysctls(Map.of("net.ipv4.ip_forward", "1")));
        invalid("sysctl \"kernel.shmmax\" is not allowed in the hosts ipc namespace",
                SpecFixture.hostConfig().ipcMode("host").sysctls(Map.of("kernel.shmmax", "1")));
        invalid("sysctl \"kernel.hostname\" is not allowed as it conflicts with the OCI \"hostname\" field",
                SpecFixture.hostConfig().sysctls(Map.of("kernel.hostname", "x")));
        invalid("sysctl \"vm.swappiness\" is not in a separate kernel namespace",
                SpecFixture.hostConfig().sysctls(Map.of("vm.swappiness", "1")));
        invalid("sysctl \"kernel.domainname\" is not in a separate kernel namespace",
                SpecFixture.hostConfig().utsMode("host").sysctls(Map.of("kernel.domainname", "x")));
    }

    @Test
    void securityOptions() {
        assertEquals(List.of(), ok(SpecFixture.hostConfig().securityOpt("no-new-privileges", "seccomp=unconfined",
                "apparmor=unconfined", "label=disable", "no-new-privileges:false", "writable-cgroups=true")));
        invalid("invalid --security-opt 1: \"bogus\"", SpecFixture.hostConfig().securityOpt("bogus"));
        invalid("invalid --security-opt 2: \"foo=bar\"", SpecFixture.hostConfig().securityOpt("foo=bar"));
        invalid("invalid --security-opt 2: \"no-new-privileges=maybe\"",
                SpecFixture.hostConfig().securityOpt("no-new-privileges=maybe"));
        invalid("custom seccomp profiles are not supported yet: Keel applies no seccomp filter (use "
                + "seccomp=unconfined)", SpecFixture.hostConfig().securityOpt("seccomp={\"defaultAction\":\"x\"}"));
    }

    @Test
    void devices() {
        assertEquals(List.of(), ok(SpecFixture.hostConfig().devices(
                new HostConfig.DeviceMapping("/dev/fuse", "/dev/fuse", "rwm"),
                new HostConfig.DeviceMapping("/dev/sda", "", ""))));
        invalid("invalid device mode: rwx", SpecFixture.hostConfig().devices(
                new HostConfig.DeviceMapping("/dev/fuse", "/dev/fuse", "rwx")));
        invalid("bad format for path: dev/fuse", SpecFixture.hostConfig().devices(
                new HostConfig.DeviceMapping("dev/fuse", "/dev/fuse", "rwm")));
    }
}
