package keel.engine.core.internal.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ExecConfig;
import keel.engine.api.container.HostConfig;
import keel.engine.api.oci.Process;
import keel.engine.api.oci.Spec;
import keel.engine.core.internal.container.spec.EtcFiles;
import keel.engine.core.internal.container.spec.HostConfigValidator;
import keel.engine.core.internal.container.spec.HostFacts;
import keel.engine.core.internal.container.spec.JoinedNamespaces;
import keel.engine.core.internal.container.spec.OciSpecBuilder;
import keel.engine.core.internal.container.spec.SpecRequest;
import keel.engine.core.internal.container.spec.UserResolver;
import keel.engine.core.internal.network.ContainerNetworks;

/**
 * {@link ContainerSpecs} on the spec package: {@link HostConfigValidator}, {@link EtcFiles}, {@link OciSpecBuilder}
 * and {@link UserResolver}. The host's facts are read once, on first use (not while the component activates).
 */
final class SpecBridge implements ContainerSpecs {

    private final Path dataRoot;
    private final EtcFiles etc = new EtcFiles();
    private volatile Parts parts;

    private record Parts(HostFacts facts, HostConfigValidator validator, OciSpecBuilder builder) {}

    SpecBridge(Path dataRoot) {
        this.dataRoot = dataRoot;
    }

    private Parts parts() {
        Parts p = parts;
        if (p == null) {
            synchronized (this) {
                p = parts;
                if (p == null) {
                    HostFacts facts = HostFacts.detect(dataRoot);
                    p = new Parts(facts, new HostConfigValidator(facts), new OciSpecBuilder(facts));
                    parts = p;
                }
            }
        }
        return p;
    }

    @Override
    public List<String> validate(ContainerConfig config, HostConfig hostConfig) {
        return parts().validator().validate(config, hostConfig);
    }

    @Override
    public String defaultHostname(String containerId, ContainerConfig config, HostConfig hostConfig) {
        return parts().builder().hostnameOf(containerId, config, hostConfig);
    }

    @Override
    public EtcPaths writeEtcFiles(ContainerConfig config, HostConfig hostConfig, Path containerDir)
            throws IOException {
        // No addresses yet: the none network has only loopback, and host networking copies the host's files.
        etc.writeAll(containerDir, config, hostConfig, config.hostname(), List.of(), List.of(), true);
        Path hosts = containerDir.resolve(EtcFiles.HOSTS);
        return new EtcPaths(containerDir.resolve(EtcFiles.HOSTNAME), Files.exists(hosts) ? hosts : null,
                containerDir.resolve(EtcFiles.RESOLV_CONF));
    }

    @Override
    public EtcPaths writeEtcFiles(ContainerConfig config, HostConfig hostConfig, Path containerDir,
            ContainerNetworks.EtcView network) throws IOException {
        etc.writeAll(containerDir, config, hostConfig, config.hostname(), files(network), true);
        Path hosts = containerDir.resolve(EtcFiles.HOSTS);
        return new EtcPaths(containerDir.resolve(EtcFiles.HOSTNAME), Files.exists(hosts) ? hosts : null,
                containerDir.resolve(EtcFiles.RESOLV_CONF));
    }

    @Override
    public void rewriteNetworkFiles(ContainerConfig config, HostConfig hostConfig, Path containerDir,
            ContainerNetworks.EtcView network) throws IOException {
        etc.rewriteNetwork(containerDir, config, hostConfig, config.hostname(), files(network), true);
    }

    @Override
    public void updateNetworkFiles(ContainerConfig config, HostConfig hostConfig, Path containerDir,
            ContainerNetworks.EtcView network) throws IOException {
        etc.updateNetwork(containerDir, config, hostConfig, config.hostname(), files(network), true);
    }

    private static EtcFiles.Network files(ContainerNetworks.EtcView n) {
        return new EtcFiles.Network(n.addresses(), n.hostGatewayIps(), n.internalResolver(), n.dns(), n.dnsSearch(),
                n.dnsOptions());
    }

    @Override
    public Spec build(SpecRequest r) {
        return build(r, null);
    }

    @Override
    public Spec build(SpecRequest r, Path networkFilesDir) {
        List<Long> groups = r.extraGroups();
        if ((groups == null || groups.isEmpty()) && r.hostConfig().groupAdd() != null
                && !r.hostConfig().groupAdd().isEmpty()) {
            groups = new UserResolver(r.rootfs()).additionalGroups(r.hostConfig().groupAdd());
        }
        return parts().builder().build(new SpecRequest(r.containerId(), r.config(), r.hostConfig(), r.rootfs(),
                r.containerDir(), r.network(), r.initBinary(), r.cgroupsPath(), groups == null ? List.of() : groups),
                networkFilesDir == null ? null : new JoinedNamespaces(null, null, null, networkFilesDir));
    }

    @Override
    public Process execProcess(Spec containerSpec, ExecConfig exec, Path rootfs, ContainerConfig config,
            HostConfig hostConfig) {
        return parts().builder().execProcess(containerSpec, exec, rootfs, config, hostConfig);
    }

    @Override
    public void checkUser(String user, Path rootfs) {
        new UserResolver(rootfs).resolve(user);
    }
}
