package keel.engine.api.container;

/** {@code POST /containers/create}: Docker's body, split into its parts. */
public record CreateRequest(ContainerConfig config, HostConfig hostConfig, NetworkingConfig networkingConfig) {}
