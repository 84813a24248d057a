package keel.cli.internal.network;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.RequestBody;
import keel.cli.internal.json.JsonWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keel network connect NETWORK CONTAINER}: POST /networks/{id}/connect with network.ConnectOptions as docker
 * 28 marshals it: the requested addresses in IPAMConfig, and the whole EndpointSettings struct with its
 * operational fields at their zero values.
 */
@Command(name = "connect")
public final class NetworkConnectCommand extends KeelCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--ip", paramLabel = "string", description = "IPv4 address (e.g., \"172.30.100.104\")")
    String ipv4 = "";

    @Option(names = "--ip6", paramLabel = "string", description = "IPv6 address (e.g., \"2001:db8::33\")")
    String ipv6 = "";

    /** ListOpts: nil until a --link is given, so "Links": null. */
    List<String> links;

    @Option(names = "--link", paramLabel = "list", description = "Add link to another container")
    void link(String v) {
        if (v.isEmpty()) {
            throw PflagValues.invalid(spec, "--link", v, "empty string specified for links");
        }
        if (v.split(":", -1).length > 2) {
            throw PflagValues.invalid(spec, "--link", v, "bad format for links: " + v);
        }
        if (links == null) {
            links = new ArrayList<>();
        }
        links.add(v);
    }

    final List<String> aliases = new ArrayList<>();

    @Option(names = "--alias", paramLabel = "strings", description = "Add network-scoped alias for the container")
    void alias(String v) {
        PflagValues.addCsv(spec, "--alias", v, aliases);
    }

    final List<String> linkLocalIps = new ArrayList<>();

    @Option(names = "--link-local-ip", paramLabel = "strings", description = "Add a link-local address for the container")
    void linkLocalIp(String v) {
        PflagValues.addCsv(spec, "--link-local-ip", v, linkLocalIps);
    }

    final List<String> driverOpts = new ArrayList<>();

    @Option(names = "--driver-opt", paramLabel = "strings", description = "driver options for the network")
    void driverOpt(String v) {
        PflagValues.addCsv(spec, "--driver-opt", v, driverOpts);
    }

    long gwPriority;

    @Option(names = "--gw-priority", paramLabel = "int",
            description = "Highest gw-priority provides the default\ngateway. Accepts positive and negative values.")
    void gwPriority(String v) {
        gwPriority = PflagValues.integer(spec, "--gw-priority", v);
    }

    @Override
    public int run(CommandContext ctx) throws Exception {
        Map<String, String> opts = new TreeMap<>();
        for (String opt : driverOpts) {
            int eq = opt.indexOf('=');
            String k = eq < 0 ? opt.strip() : opt.substring(0, eq).strip();
            if (eq < 0 || k.isEmpty()) {
                throw new CliException(1, "invalid key/value pair format in driver options");
            }
            opts.put(k, opt.substring(eq + 1).strip());
        }
        Map<String, Object> ipam = new LinkedHashMap<>();
        if (!ipv4.isEmpty()) {
            ipam.put("IPv4Address", ipv4);
        }
        if (!ipv6.isEmpty()) {
            ipam.put("IPv6Address", ipv6);
        }
        if (!linkLocalIps.isEmpty()) {
            ipam.put("LinkLocalIPs", linkLocalIps);
        }
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("IPAMConfig", ipam);
        endpoint.put("Links", links);
        endpoint.put("Aliases", aliases);
        endpoint.put("MacAddress", "");
        endpoint.put("DriverOpts", opts);
        endpoint.put("GwPriority", gwPriority);
        endpoint.put("NetworkID", "");
        endpoint.put("EndpointID", "");
        endpoint.put("Gateway", "");
        endpoint.put("IPAddress", "");
        endpoint.put("IPPrefixLen", 0);
        endpoint.put("IPv6Gateway", "");
        endpoint.put("GlobalIPv6Address", "");
        endpoint.put("GlobalIPv6PrefixLen", 0);
        endpoint.put("DNSNames", null);
        String path = NetworkIds.path(args.get(0), "/connect");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Container", NetworkIds.trim("container", args.get(1)));
        body.put("EndpointConfig", endpoint);
        post(ctx, path, body);
        return 0;
    }

    /** A JSON body as Go's encoder writes it (newline-terminated); the 200 has no body worth reading. */
    static void post(CommandContext ctx, String path, Map<String, Object> body) throws Exception {
        byte[] json = (JsonWriter.write(body, true) + "\n").getBytes(StandardCharsets.UTF_8);
        ctx.client().readRaw(ctx.client().call("POST", path, null, RequestBody.ofBytes(json), "application/json",
                null));
    }
}
