package keel.engine.api.container;

import java.util.List;
import java.util.Map;

/**
 * One row of {@code GET /containers/json}: {@code created} in Unix seconds, {@code status} as docker ps prints it
 * ("Up 2 minutes", "Exited (0) 5 seconds ago"), {@code names} with a leading "/".
 */
public record ContainerSummary(
        String id,
        List<String> names,
        String image,
        String imageID,
        String command,
        long created,
        List<Port> ports,
        Long sizeRw,
        Long sizeRootFs,
        Map<String, String> labels,
        String state,
        String status,
        String networkMode,
        Map<String, EndpointSettings> networks,
        List<MountPoint> mounts) {

    /** A port as docker ps shows it: private port, public port and IP when published, and the protocol. */
    public record Port(String ip, int privatePort, Integer publicPort, String type) {}
}
