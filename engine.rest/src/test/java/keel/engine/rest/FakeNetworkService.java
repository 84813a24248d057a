package keel.engine.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import keel.engine.api.container.EndpointSettings;
import keel.engine.api.errors.EngineException;
import keel.engine.api.network.Ipam;
import keel.engine.api.network.NetworkCreateRequest;
import keel.engine.api.network.NetworkCreateResult;
import keel.engine.api.network.NetworkDetails;
import keel.engine.api.network.NetworkDetails.NetworkContainer;
import keel.engine.api.network.NetworkService;

/**
 * A NetworkService over an in-memory table with dockerd's predefined networks (bridge, host, none) and its error
 * kinds and messages, recording every call. Containers are looked up in the fake container service, so connecting
 * a container that does not exist is a 404 as with the engine.
 */
final class FakeNetworkService implements NetworkService {
    static final String BRIDGE_ID = "b1".repeat(32);

    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Map<String, NetworkDetails> networks = Collections.synchronizedMap(new LinkedHashMap<>());
    volatile NetworkCreateRequest lastCreate;
    volatile Map<String, List<String>> lastFilters;
    volatile EndpointSettings lastEndpoint;
    private final FakeContainerService containers;

    FakeNetworkService(FakeContainerService containers) {
        this.containers = containers;
        put(new NetworkDetails("bridge", BRIDGE_ID, "2026-11-23T09:00:00.000000001Z", "local", "bridge", false,
                new Ipam("default", List.of(new Ipam.Config("172.17.0.0/16", null, "172.17.0.1", null)), null),
                false, false, false, Map.of(), bridgeOptions(), Map.of()));
        put(new NetworkDetails("host", "h0".repeat(32), "2026-11-23T09:00:00Z", "local", "host", false,
                new Ipam("default", null, null), false, false, false, Map.of(), Map.of(), Map.of()));
        put(new NetworkDetails("none", "00".repeat(32), "2026-11-23T09:00:00Z", "local", "null", false,
                new Ipam("default", null, null), false, false, false, Map.of(), Map.of(), Map.of()));
    }

    private static Map<String, String> bridgeOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("com.docker.network.bridge.name", "keel0");
        o.put("com.docker.network.bridge.default_bridge", "true");
        o.put("com.docker.network.driver.mtu", "1500");
        return o;
    }

    private void put(NetworkDetails d) {
        networks.put(d.id(), d);
    }

    static boolean predefined(NetworkDetails d) {
        return d.name().equals("bridge") || d.name().equals("host") || d.name().equals("none");
    }

    NetworkDetails find(String ref) {
        synchronized (networks) {
            for (NetworkDetails d : networks.values()) {
                if (d.id().equals(ref)) {
                    return d;
                }
            }
            for (NetworkDetails d : networks.values()) {
                if (d.name().equals(ref)) {
                    return d;
                }
            }
            List<NetworkDetails> prefixed = new ArrayList<>();
            for (NetworkDetails d : networks.values()) {
                if (d.id().startsWith(ref)) {
                    prefixed.add(d);
                }
            }
            if (prefixed.size() > 1) {
                throw EngineException.invalid("network " + ref + " is ambiguous (" + prefixed.size()
                        + " matches found based on ID prefix)");
            }
            if (prefixed.size() == 1) {
                return prefixed.get(0);
            }
        }
        throw EngineException.notFound("network " + ref + " not found");
    }

    @Override
    public NetworkCreateResult create(NetworkCreateRequest request) {
        lastCreate = request;
        calls.add("create " + request.name());
        if (request.name() == null || request.name().isEmpty()) {
            throw EngineException.invalid("network name cannot be empty");
        }
        for (String reserved : List.of("bridge", "host", "none", "default")) {
            if (reserved.equals(request.name())) {
                throw new EngineException(EngineException.Kind.FORBIDDEN, "operation is not permitted on "
                        + "predefined " + reserved + " network ");
            }
        }
        synchronized (networks) {
            for (NetworkDetails d : networks.values()) {
                if (d.name().equals(request.name())) {
                    throw EngineException.conflict("network with name " + request.name() + " already exists");
                }
            }
            String id = hexId("network " + request.name());
            Ipam ipam = request.ipam() == null || request.ipam().config() == null || request.ipam().config().isEmpty()
                    ? new Ipam("default", List.of(new Ipam.Config("172.18.0.0/16", null, "172.18.0.1", null)),
                            request.ipam() == null ? Map.of() : request.ipam().options())
                    : request.ipam();
            put(new NetworkDetails(request.name(), id, "2026-11-23T10:00:00.123456789Z", "local",
                    request.driver() == null || request.driver().isEmpty() ? "bridge" : request.driver(),
                    Boolean.TRUE.equals(request.enableIPv6()), ipam, Boolean.TRUE.equals(request.internal()),
                    Boolean.TRUE.equals(request.attachable()), false, new LinkedHashMap<>(),
                    request.options(), request.labels()));
            return new NetworkCreateResult(id, request.driver() != null && request.driver().equals("macvlan")
                    ? "macvlan is a fake driver" : null);
        }
    }

    @Override
    public List<NetworkDetails> list(Map<String, List<String>> filters) {
        lastFilters = filters;
        calls.add("list " + filters);
        List<NetworkDetails> out = new ArrayList<>();
        synchronized (networks) {
            for (NetworkDetails d : networks.values()) {
                if (matches(d, filters)) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    private static boolean matches(NetworkDetails d, Map<String, List<String>> filters) {
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            boolean any = false;
            for (String v : f.getValue()) {
                switch (f.getKey()) {
                    case "driver" -> any |= v.equals(d.driver());
                    case "name" -> any |= d.name().contains(v);
                    case "id" -> any |= d.id().startsWith(v);
                    case "label" -> {
                        String[] kv = v.split("=", 2);
                        String actual = d.labels() == null ? null : d.labels().get(kv[0]);
                        any |= actual != null && (kv.length == 1 || kv[1].equals(actual));
                    }
                    case "type" -> any |= v.equals(predefined(d) ? "builtin" : "custom");
                    default -> any = true;
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    @Override
    public NetworkDetails inspect(String network) {
        calls.add("inspect " + network);
        return find(network);
    }

    @Override
    public void remove(String network) {
        NetworkDetails d = find(network);
        calls.add("remove " + d.name());
        if (predefined(d)) {
            throw new EngineException(EngineException.Kind.FORBIDDEN, d.name()
                    + " is a pre-defined network and cannot be removed");
        }
        if (d.containers() != null && !d.containers().isEmpty()) {
            throw new EngineException(EngineException.Kind.FORBIDDEN, "error while removing network: network "
                    + d.name() + " id " + d.id() + " has active endpoints");
        }
        networks.remove(d.id());
    }

    @Override
    public List<String> prune(Map<String, List<String>> filters) {
        calls.add("prune " + filters);
        lastFilters = filters;
        List<String> deleted = new ArrayList<>();
        synchronized (networks) {
            for (NetworkDetails d : new ArrayList<>(networks.values())) {
                if (!predefined(d) && (d.containers() == null || d.containers().isEmpty())) {
                    networks.remove(d.id());
                    deleted.add(d.name());
                }
            }
        }
        return deleted;
    }

    @Override
    public void connect(String network, String container, EndpointSettings endpoint) {
        NetworkDetails d = find(network);
        FakeContainerService.FakeContainer c = containers.find(container);
        lastEndpoint = endpoint;
        calls.add("connect " + d.name() + " " + c.name);
        synchronized (networks) {
            Map<String, NetworkContainer> eps = new LinkedHashMap<>(d.containers());
            if (eps.containsKey(c.id)) {
                throw new EngineException(EngineException.Kind.FORBIDDEN, "endpoint with name "
                        + c.name.substring(1) + " already exists in network " + d.name());
            }
            String ip = endpoint != null && endpoint.ipamConfig() != null && endpoint.ipamConfig().ipv4Address() != null
                    && !endpoint.ipamConfig().ipv4Address().isEmpty()
                            ? endpoint.ipamConfig().ipv4Address() : "172.18.0.2";
            eps.put(c.id, new NetworkContainer(c.name.substring(1), hexId("ep " + c.id + d.id()),
                    "02:42:ac:12:00:02", ip + "/16", ""));
            networks.put(d.id(), with(d, eps));
        }
    }

    @Override
    public void disconnect(String network, String container, boolean force) {
        NetworkDetails d = find(network);
        FakeContainerService.FakeContainer c = containers.find(container);
        calls.add("disconnect " + d.name() + " " + c.name + " force=" + force);
        synchronized (networks) {
            Map<String, NetworkContainer> eps = new LinkedHashMap<>(d.containers());
            if (eps.remove(c.id) == null) {
                throw new EngineException(EngineException.Kind.FORBIDDEN, "container " + c.id
                        + " is not connected to network " + d.name());
            }
            networks.put(d.id(), with(d, eps));
        }
    }

    private static NetworkDetails with(NetworkDetails d, Map<String, NetworkContainer> containers) {
        return new NetworkDetails(d.name(), d.id(), d.created(), d.scope(), d.driver(), d.enableIPv6(), d.ipam(),
                d.internal(), d.attachable(), d.ingress(), containers, d.options(), d.labels());
    }

    static String hexId(String seed) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(seed.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
