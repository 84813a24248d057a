/**
 * Networking contracts, modelled on Docker's libnetwork: networks made by a {@link
 * keel.engine.api.network.NetworkDriver} (bridge, none, a vendor's), endpoints that connect a container's
 * {@link keel.engine.api.network.Sandbox} (its network namespace) to a network, and the
 * {@link keel.engine.api.network.SandboxFactory} that makes those namespaces. The engine owns the records
 * (networks, IP address management, which container is on which network); drivers own the kernel state.
 */
@Export
@Version("1.1.0")
package keel.engine.api.network;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
