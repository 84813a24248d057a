package keel.network.bridge.internal;

import java.util.List;

import keel.engine.api.network.EndpointSpec.PortMapping;
import keel.network.bridge.internal.firewall.Rule;
import keel.network.bridge.internal.ports.HostPort;

/**
 * An endpoint's published ports while it is joined: the host ports held (proxy listeners or placeholders),
 * the mappings as bound, and the NAT and filter rules made for them, so that leave undoes exactly that.
 */
record PublishedPorts(String networkId, String endpointId, List<HostPort> held, List<PortMapping> bound,
        List<Rule> rules) {

    void release() {
        held.forEach(HostPort::close);
    }
}
