/**
 * The bridge driver's work, below the DS component {@code keel.network.bridge.BridgeNetworkDriver}.
 *
 * <ul>
 * <li>{@code BridgeNetworks}: createNetwork, join, leave, deleteNetwork, restore, as libnetwork's bridge driver
 * does them; {@code BridgeNetwork} reads Docker's driver options.</li>
 * <li>{@code netlink}: the one libc interface ({@code NetlinkKernel}, bound by jnr-ffi) and rtnetlink(7) over
 * it: bridges, veth pairs created straight into a sandbox, addresses, routes.</li>
 * <li>{@code firewall}: Keel's iptables chains (one jump from each built-in chain, every other rule in a chain
 * of Keel's own, tagged with its owner), written with iptables-restore in batches.</li>
 * <li>{@code ports}, {@code proxy}: host ports held for published ports, and the userland proxy (one selector
 * thread for every port, TCP and UDP).</li>
 * </ul>
 *
 * <p>Nothing here is persisted: the kernel holds bridges, veths and rules; the engine holds the records and
 * hands them back to {@code restore} after a restart.
 */
package keel.network.bridge.internal;
