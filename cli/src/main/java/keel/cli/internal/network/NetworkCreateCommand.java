package keel.cli.internal.network;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.RequestBody;
import keel.cli.internal.json.JsonWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keel network create NETWORK}: POST /networks/create with the body docker 28 sends (network.CreateRequest:
 * the options first, then Name; EnableIPv4 and EnableIPv6 only when their flag was given), then the new ID.
 */
@Command(name = "create")
public final class NetworkCreateCommand extends KeelCommand {

    @Spec
    CommandSpec spec;

    @Option(names = {"-d", "--driver"}, paramLabel = "string", defaultValue = "bridge",
            description = "Driver to manage the Network")
    String driver = "bridge";

    final Map<String, String> driverOpts = new LinkedHashMap<>();

    @Option(names = {"-o", "--opt"}, paramLabel = "map", description = "Set driver specific options (default map[])")
    void opt(String v) {
        PflagValues.putKeyValue(v, driverOpts);
    }

    final List<String> labels = new ArrayList<>();

    @Option(names = "--label", paramLabel = "list", description = "Set metadata on a network")
    void label(String v) {
        labels.add(PflagValues.label(spec, "--label", v));
    }

    @Option(names = "--internal", arity = "0..1", fallbackValue = "true",
            description = "Restrict external access to the network")
    boolean internal;

    @Option(names = "--ipv4", arity = "0..1", fallbackValue = "true",
            description = "Enable or disable IPv4 address assignment\n(default true)")
    Boolean ipv4;

    @Option(names = "--ipv6", arity = "0..1", fallbackValue = "true",
            description = "Enable or disable IPv6 address assignment")
    Boolean ipv6;

    @Option(names = "--attachable", arity = "0..1", fallbackValue = "true",
            description = "Enable manual container attachment")
    boolean attachable;

    @Option(names = "--ingress", arity = "0..1", fallbackValue = "true", description = "Create swarm routing-mesh network")
    boolean ingress;

    @Option(names = "--scope", paramLabel = "string", description = "Control the network's scope")
    String scope = "";

    @Option(names = "--config-only", arity = "0..1", fallbackValue = "true",
            description = "Create a configuration only network")
    boolean configOnly;

    @Option(names = "--config-from", paramLabel = "string",
            description = "The network from which to copy the configuration")
    String configFrom = "";

    @Option(names = "--ipam-driver", paramLabel = "string", defaultValue = "default",
            description = "IP Address Management Driver")
    String ipamDriver = "default";

    final List<String> subnets = new ArrayList<>();
    final List<String> ipRanges = new ArrayList<>();
    final List<String> gateways = new ArrayList<>();

    @Option(names = "--subnet", paramLabel = "strings",
            description = "Subnet in CIDR format that represents a\nnetwork segment")
    void subnet(String v) {
        PflagValues.addCsv(spec, "--subnet", v, subnets);
    }

    @Option(names = "--ip-range", paramLabel = "strings", description = "Allocate container ip from a sub-range")
    void ipRange(String v) {
        PflagValues.addCsv(spec, "--ip-range", v, ipRanges);
    }

    @Option(names = "--gateway", paramLabel = "strings", description = "IPv4 or IPv6 Gateway for the master subnet")
    void gateway(String v) {
        PflagValues.addCsv(spec, "--gateway", v, gateways);
    }

    final Map<String, String> auxAddresses = new LinkedHashMap<>();

    @Option(names = "--aux-address", paramLabel = "map",
            description = "Auxiliary IPv4 or IPv6 addresses used by\nNetwork driver (default map[])")
    void auxAddress(String v) {
        PflagValues.putKeyValue(v, auxAddresses);
    }

    final Map<String, String> ipamOpts = new LinkedHashMap<>();

    @Option(names = "--ipam-opt", paramLabel = "map", description = "Set IPAM driver specific options (default map[])")
    void ipamOpt(String v) {
        PflagValues.putKeyValue(v, ipamOpts);
    }

    @Override
    public int run(CommandContext ctx) throws Exception {
        Map<String, Object> ipam = IpamPools.build(ipamDriver, ipamOpts, subnets, ipRanges, gateways, auxAddresses);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Driver", driver);
        body.put("Scope", scope);
        if (ipv4 != null) {
            body.put("EnableIPv4", ipv4);
        }
        if (ipv6 != null) {
            body.put("EnableIPv6", ipv6);
        }
        body.put("IPAM", ipam);
        body.put("Internal", internal);
        body.put("Attachable", attachable);
        body.put("Ingress", ingress);
        body.put("ConfigOnly", configOnly);
        body.put("ConfigFrom", configFrom.isEmpty() ? null : Map.of("Network", configFrom));
        body.put("Options", new TreeMap<>(driverOpts));
        body.put("Labels", labelMap(labels));
        body.put("Name", args.get(0));
        byte[] json = (JsonWriter.write(body, true) + "\n").getBytes(StandardCharsets.UTF_8);
        Object created = ctx.client().readJson(ctx.client().call("POST", "/networks/create", null,
                RequestBody.ofBytes(json), "application/json", null));
        Object id = created instanceof Map ? ((Map<?, ?>) created).get("Id") : null;
        ctx.out().println(id == null ? "" : id.toString());
        return 0;
    }

    /** opts.ConvertKVStringsToMap: "k=v" and "k" (empty value), sorted as Go marshals a map. */
    static Map<String, String> labelMap(List<String> values) {
        Map<String, String> m = new TreeMap<>();
        for (String v : values) {
            PflagValues.putKeyValue(v, m);
        }
        return m;
    }
}
