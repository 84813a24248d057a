package keel.engine.api.container;

import java.util.Map;

/** Docker's {@code NetworkingConfig} in a create request: the endpoint to make on each network. */
public record NetworkingConfig(Map<String, EndpointSettings> endpointsConfig) {}
