package keel.network.none.internal;

import java.io.IOException;

/** The one kernel call this driver makes: bring an interface of the calling thread's network namespace up. */
public interface InterfaceControl {

    void up(String interfaceName) throws IOException;
}
