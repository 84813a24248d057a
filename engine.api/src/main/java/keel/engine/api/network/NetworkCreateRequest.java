package keel.engine.api.network;

import java.util.Map;

/** {@code POST /networks/create}'s body (Docker's keys in lower camel case). */
public record NetworkCreateRequest(String name, String driver, Boolean internal, Boolean attachable,
        Boolean checkDuplicate, Ipam ipam, Boolean enableIPv6, Map<String, String> options,
        Map<String, String> labels) {}
