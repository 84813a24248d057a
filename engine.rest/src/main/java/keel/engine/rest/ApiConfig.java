package keel.engine.rest;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the Docker API server (PID {@code keel.api}); without one the defaults apply. */
@ObjectClassDefinition(name = "Keel Docker API", description = "Where the Docker Engine API listens.")
public @interface ApiConfig {

    @AttributeDefinition(name = "Hosts", description = "Listen addresses as dockerd's -H spells them: "
            + "unix:///path, or tcp://127.0.0.1:PORT (loopback only: there is no TLS yet).")
    String[] hosts() default {"unix:///run/keel.sock"};

    /** Property {@code socket.group}. */
    @AttributeDefinition(name = "Socket group", required = false, description = "Group owning the Unix sockets "
            + "(mode 0660); its members can use the API. Root's group when the group does not exist.")
    String socket_group() default "keel";
}
