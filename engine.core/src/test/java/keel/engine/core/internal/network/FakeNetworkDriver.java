package keel.engine.core.internal.network;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import keel.engine.api.network.EndpointResult;
import keel.engine.api.network.EndpointSpec;
import keel.engine.api.network.EndpointSpec.PortMapping;
import keel.engine.api.network.NetworkDriver;
import keel.engine.api.network.NetworkSpec;
import keel.engine.api.network.Sandbox;

/** A driver without a kernel: records every call; ephemeral host ports become 40000, 40001...; one port is taken. */
final class FakeNetworkDriver implements NetworkDriver {

    final String name;
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<EndpointSpec> restoredEndpoints = new CopyOnWriteArrayList<>();
    volatile int takenPort = -1;
    private int nextPort = 40000;

    FakeNetworkDriver(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void createNetwork(NetworkSpec network) {
        calls.add("create " + network.name());
    }

    @Override
    public void deleteNetwork(NetworkSpec network) {
        calls.add("delete " + network.name());
    }

    @Override
    public synchronized EndpointResult join(NetworkSpec network, EndpointSpec endpoint, Sandbox sandbox)
            throws IOException {
        List<PortMapping> bound = new ArrayList<>();
        for (PortMapping m : endpoint.ports()) {
            if (m.hostPort() == takenPort) {
                throw new IOException("Bind for 0.0.0.0:" + takenPort + " failed: port is already allocated");
            }
            bound.add(new PortMapping(m.protocol(), m.containerPort(), m.hostIp(),
                    m.hostPort() == 0 ? nextPort++ : m.hostPort()));
        }
        calls.add("join " + network.name() + " " + endpoint.containerName() + " " + endpoint.ipv4Address());
        String gw = network.pools().isEmpty() ? null : network.pools().get(0).gateway();
        return new EndpointResult("eth0", endpoint.ipv4Address(), gw, "02:42:c6:12:00:02", bound);
    }

    @Override
    public void leave(NetworkSpec network, EndpointSpec endpoint, Sandbox sandbox) {
        calls.add("leave " + network.name() + " " + endpoint.containerName());
    }

    @Override
    public void restore(List<NetworkSpec> networks, List<EndpointSpec> endpoints) {
        calls.add("restore " + networks.stream().map(NetworkSpec::name).sorted().toList());
        restoredEndpoints.addAll(endpoints);
    }
}
