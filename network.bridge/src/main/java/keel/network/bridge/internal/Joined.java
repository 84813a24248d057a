package keel.network.bridge.internal;

import java.util.List;

import keel.engine.api.network.EndpointResult;
import keel.engine.api.network.EndpointSpec.PortMapping;

/**
 * What a join produced: the endpoint as {@link EndpointResult} describes it, and the ports as published, with the
 * host port the kernel chose where 0 was asked ({@code -p 80} publishes on an ephemeral port, which
 * {@code docker port} and {@code NetworkSettings.Ports} must show). EndpointResult cannot carry the latter yet;
 * the proposed engine.api change is a {@code List<PortMapping> ports} component on it, filled from
 * {@link #ports()}.
 */
public record Joined(EndpointResult result, List<PortMapping> ports) {}
