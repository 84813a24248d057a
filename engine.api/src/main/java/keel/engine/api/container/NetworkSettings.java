package keel.engine.api.container;

import java.util.List;
import java.util.Map;

/** Docker's {@code NetworkSettings} in inspect: the sandbox, published ports and one endpoint per network. */
public record NetworkSettings(String sandboxID, String sandboxKey, Map<String, List<HostConfig.PortBinding>> ports,
        Map<String, EndpointSettings> networks) {}
