package keel.cli.internal.container;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import keel.cli.internal.json.JsonReader;
import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.container.options.BadValue;
import keel.cli.internal.container.options.GoNumbers;
import keel.cli.internal.plugin.NaturalOrder;
import picocli.CommandLine.Command;

/**
 * {@code keel port CONTAINER [PRIVATE_PORT[/PROTO]]}: the container's NetworkSettings.Ports from its inspect. All
 * mappings as "80/tcp -> 0.0.0.0:8080", or the host addresses of one port (tcp unless a protocol is given), in
 * natural order; an exposed port that is not published has no host side and is not listed.
 */
@Command(name = "port")
public final class PortCommand extends KeelCommand {

    @Override
    public int run(CommandContext ctx) throws Exception {
        String container = args.get(0);
        Object inspect = ctx.client().getJson(ContainerIds.path(ContainerIds.trim(container), "/json"), null);
        Map<?, ?> ports = Map.of();
        if (inspect instanceof Map && ((Map<?, ?>) inspect).get("NetworkSettings") instanceof Map) {
            Object p = ((Map<?, ?>) ((Map<?, ?>) inspect).get("NetworkSettings")).get("Ports");
            if (p instanceof Map) {
                ports = (Map<?, ?>) p;
            }
        }
        List<String> out = new ArrayList<>();
        if (args.size() > 1) {
            String requested = args.get(1);
            int slash = requested.indexOf('/');
            String port = slash < 0 ? requested : requested.substring(0, slash);
            String proto = slash < 0 ? "" : requested.substring(slash + 1);
            if (proto.isEmpty()) {
                proto = "tcp";
            }
            try {
                GoNumbers.parseUint(port, 10, 16);
            } catch (BadValue e) {
                throw new CliException(1, "Error: invalid port (" + port + "): " + e.getMessage());
            }
            List<Map<?, ?>> frontends = bindings(ports.get(port + "/" + proto));
            if (frontends.isEmpty()) {
                throw new CliException(1, "Error: No public port '" + requested + "' published for " + container);
            }
            for (Map<?, ?> f : frontends) {
                out.add(joinHostPort(f));
            }
        } else {
            for (Map.Entry<?, ?> e : ports.entrySet()) {
                for (Map<?, ?> f : bindings(e.getValue())) {
                    out.add(e.getKey() + " -> " + joinHostPort(f));
                }
            }
        }
        if (!out.isEmpty()) {
            out.sort(NaturalOrder::compare);
            ctx.out().println(String.join("\n", out));
        }
        return 0;
    }

    private static List<Map<?, ?>> bindings(Object value) {
        return JsonReader.objects(value);
    }

    /** net.JoinHostPort: an IPv6 host goes in brackets. */
    private static String joinHostPort(Map<?, ?> binding) {
        String host = binding.get("HostIp") == null ? "" : binding.get("HostIp").toString();
        String port = binding.get("HostPort") == null ? "" : binding.get("HostPort").toString();
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
