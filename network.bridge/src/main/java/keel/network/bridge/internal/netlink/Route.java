package keel.network.bridge.internal.netlink;

/** An IPv4 route of the main table: destination (0.0.0.0/0 for the default route), gateway (0 if none), device. */
public record Route(int destination, int destinationLength, int gateway, int outputInterface) {

    public boolean isDefault() {
        return destinationLength == 0;
    }
}
