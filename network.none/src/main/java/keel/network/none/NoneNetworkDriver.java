package keel.network.none;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;

import keel.engine.api.network.EndpointResult;
import keel.engine.api.network.EndpointSpec;
import keel.engine.api.network.NetworkDriver;
import keel.engine.api.network.NetworkSpec;
import keel.engine.api.network.Sandbox;
import keel.network.none.internal.InterfaceControl;
import keel.network.none.internal.LibcInterfaceControl;

/**
 * Docker's {@code none} network: the container has a network namespace of its own with nothing in it but the
 * loopback interface, which a new namespace has down; joining brings it up, as libnetwork does for none (unless
 * the sandbox's factory did, as Keel's does while it makes the namespace).
 */
@Component(service = NetworkDriver.class, property = NetworkDriver.NAME_PROPERTY + "=none")
public class NoneNetworkDriver implements NetworkDriver {

    private final InterfaceControl interfaces;

    public NoneNetworkDriver() {
        this(new LibcInterfaceControl());
    }

    NoneNetworkDriver(InterfaceControl interfaces) {
        this.interfaces = interfaces;
    }

    @Override
    public String name() {
        return "none";
    }

    @Override
    public void createNetwork(NetworkSpec network) {
        // Nothing on the host side: the namespace is all there is.
    }

    @Override
    public void deleteNetwork(NetworkSpec network) {
        // Nothing was made.
    }

    @Override
    public EndpointResult join(NetworkSpec network, EndpointSpec endpoint, Sandbox sandbox) throws IOException {
        if (sandbox.loopbackUp()) {
            return new EndpointResult(null, null, null, null); // its factory did it
        }
        try {
            sandbox.call(() -> {
                interfaces.up("lo");
                return null;
            });
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("bringing up lo in " + sandbox.path() + " failed: " + e.getMessage(), e);
        }
        return new EndpointResult(null, null, null, null);
    }

    @Override
    public void leave(NetworkSpec network, EndpointSpec endpoint, Sandbox sandbox) {
        // The loopback interface goes away with the namespace.
    }
}
