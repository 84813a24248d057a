package keel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * network create | ls | inspect | rm | prune | connect | disconnect, and port, against a scripted daemon. Every
 * expected request body and output below is what docker 28.2.2 sent and printed for the same command line and the
 * same daemon answers (captured against a daemon stand-in serving these very documents), with "docker" read as
 * "keel" in usage messages.
 */
class NetworkCommandsTest {

    static final String NET1 = "{\"Name\":\"net1\",\"Id\":\"aaaaaaaaaaaabbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\","
            + "\"Created\":\"2024-06-01T11:58:00.123456789Z\",\"Scope\":\"local\",\"Driver\":\"bridge\","
            + "\"EnableIPv4\":true,\"EnableIPv6\":false,\"IPAM\":{\"Driver\":\"default\",\"Options\":{},\"Config\":"
            + "[{\"Subnet\":\"198.18.7.0/24\",\"IPRange\":\"198.18.7.128/25\",\"Gateway\":\"198.18.7.1\"}]},"
            + "\"Internal\":true,\"Attachable\":false,\"Ingress\":false,\"ConfigFrom\":{\"Network\":\"\"},"
            + "\"ConfigOnly\":false,\"Containers\":{},\"Options\":{\"com.docker.network.bridge.name\":\"x\"},"
            + "\"Labels\":{\"a\":\"b\"}}";

    /** net10, host, net1, bridge: in no particular order, as a daemon may list them. */
    static final String NETWORKS = "[" + NET1.replace("\"net1\"", "\"net10\"").replace("aaaaaaaaaaaab", "2222222222222")
            .replaceAll("b{51}", "2".repeat(51)) + ","
            + NET1.replace("\"net1\"", "\"host\"").replace("aaaaaaaaaaaa" + "b".repeat(52), "1".repeat(64))
                    .replace("\"Driver\":\"bridge\"", "\"Driver\":\"host\"")
                    .replace("{\"com.docker.network.bridge.name\":\"x\"}", "{}").replace("{\"a\":\"b\"}", "{}")
            + "," + NET1 + ","
            + NET1.replace("\"net1\"", "\"bridge\"").replace("aaaaaaaaaaaa" + "b".repeat(52), "f".repeat(64))
                    .replace("\"Internal\":true", "\"Internal\":false")
                    .replace("{\"com.docker.network.bridge.name\":\"x\"}", "{}").replace("{\"a\":\"b\"}", "{}")
            + "]";

    @TempDir
    Path dir;
    FakeDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = new FakeDaemon(dir);
        daemon.onJson("GET /networks", NETWORKS);
        daemon.onJson("GET /networks/net1", NET1);
        daemon.on("GET /networks/nope", FakeDaemon.Response.json(404, "{\"message\":\"network nope not found\"}"));
        daemon.on("GET /networks/busy", FakeDaemon.Response.json(404, "{\"message\":\"network busy not found\"}"));
        daemon.on("POST /networks/create", FakeDaemon.Response.json(201, "{\"Id\":\"" + "d".repeat(64)
                + "\",\"Warning\":\"\"}"));
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    private CliRun keel() {
        return CliRun.against(daemon);
    }

    private List<String> calls() {
        List<String> out = new ArrayList<>();
        for (FakeDaemon.Request r : daemon.apiRequests()) {
            out.add(r.method + " " + r.target);
        }
        return out;
    }

    // ----- create

    @Test
    void createSendsDockersBody() {
        CliRun.Result r = keel().run("network", "create", "--subnet", "198.18.7.0/24", "--gateway", "198.18.7.1",
                "--ip-range", "198.18.7.128/25", "--internal", "--label", "a=b", "-o",
                "com.docker.network.bridge.name=x", "net1");
        assertEquals(0, r.code, r.toString());
        assertEquals("d".repeat(64) + "\n", r.out);
        assertEquals("", r.err);
        FakeDaemon.Request req = daemon.last();
        assertEquals("POST /v1.50/networks/create", req.toString());
        assertEquals("application/json", req.header("Content-Type"));
        assertEquals("{\"Driver\":\"bridge\",\"Scope\":\"\",\"IPAM\":{\"Driver\":\"default\",\"Options\":{},\"Config\":"
                + "[{\"Subnet\":\"198.18.7.0/24\",\"IPRange\":\"198.18.7.128/25\",\"Gateway\":\"198.18.7.1\"}]},"
                + "\"Internal\":true,\"Attachable\":false,\"Ingress\":false,\"ConfigOnly\":false,\"ConfigFrom\":null,"
                + "\"Options\":{\"com.docker.network.bridge.name\":\"x\"},\"Labels\":{\"a\":\"b\"},\"Name\":\"net1\"}\n",
                req.bodyText());

        assertEquals(0, keel().run("network", "create", "net2").code);
        assertEquals("{\"Driver\":\"bridge\",\"Scope\":\"\",\"IPAM\":{\"Driver\":\"default\",\"Options\":{},\"Config\":"
                + "[]},\"Internal\":false,\"Attachable\":false,\"Ingress\":false,\"ConfigOnly\":false,\"ConfigFrom\":"
                + "null,\"Options\":{},\"Labels\":{},\"Name\":\"net2\"}\n", daemon.last().bodyText());

        assertEquals(0, keel().run("network", "create", "-d", "bridge", "--attachable", "--ipv6", "--ipv4=false",
                "--aux-address", "a=198.18.7.5", "--subnet", "198.18.7.0/24", "--ipam-opt", "k=v", "--ipam-driver",
                "foo", "--scope", "local", "--label", "x", "net3").code);
        assertEquals("{\"Driver\":\"bridge\",\"Scope\":\"local\",\"EnableIPv4\":false,\"EnableIPv6\":true,\"IPAM\":"
                + "{\"Driver\":\"foo\",\"Options\":{\"k\":\"v\"},\"Config\":[{\"Subnet\":\"198.18.7.0/24\","
                + "\"AuxiliaryAddresses\":{\"a\":\"198.18.7.5\"}}]},\"Internal\":false,\"Attachable\":true,\"Ingress\":"
                + "false,\"ConfigOnly\":false,\"ConfigFrom\":null,\"Options\":{},\"Labels\":{\"x\":\"\"},\"Name\":"
                + "\"net3\"}\n", daemon.last().bodyText());

        assertEquals(0, keel().run("network", "create", "--config-only", "--config-from", "y", "--ingress", "-o",
                "novalue", "--ipv6=false", "net4").code);
        assertEquals("{\"Driver\":\"bridge\",\"Scope\":\"\",\"EnableIPv6\":false,\"IPAM\":{\"Driver\":\"default\","
                + "\"Options\":{},\"Config\":[]},\"Internal\":false,\"Attachable\":false,\"Ingress\":true,"
                + "\"ConfigOnly\":true,\"ConfigFrom\":{\"Network\":\"y\"},\"Options\":{\"novalue\":\"\"},\"Labels\":{},"
                + "\"Name\":\"net4\"}\n", daemon.last().bodyText());
    }

    @Test
    void createChecksTheAddressPoolsAsDockerDoes() {
        String[][] cases = {
            {"multiple overlapping subnet configuration is not supported", "--subnet", "10.0.0.0/8", "--subnet",
                "10.1.0.0/16"},
            {"multiple overlapping subnet configuration is not supported", "--subnet", "10.0.0.0/8,10.2.0.0/16"},
            {"every ip-range or gateway must have a corresponding subnet", "--ip-range", "10.0.0.0/24"},
            {"every ip-range or gateway must have a corresponding subnet", "--subnet", "10.0.0.0/8", "--gateway",
                "10.0.0.1", "--gateway", "10.0.0.2"},
            {"no matching subnet for gateway 11.0.0.1", "--subnet", "10.0.0.0/8", "--gateway", "11.0.0.1"},
            {"no matching subnet for gateway bad", "--subnet", "10.0.0.0/8", "--gateway", "bad"},
            {"no matching subnet for range 11.0.0.0/24", "--subnet", "10.0.0.0/8", "--ip-range", "11.0.0.0/24"},
            {"invalid CIDR address: bad", "--subnet", "10.0.0.0/8", "--ip-range", "bad"},
            {"no matching subnet for aux-address 11.0.0.1", "--subnet", "10.0.0.0/8", "--aux-address", "a=11.0.0.1"},
            {"no matching subnet for aux-address ", "--subnet", "10.0.0.0/8", "--aux-address", "a=10.0.0.9",
                "--aux-address", "novalue"},
            {"invalid CIDR address: 10.0.0.0/33", "--subnet", "10.0.0.0/33", "--subnet",
                "192.168.0.0/16"},
            {"cannot configure multiple ranges (10.2.0.0/16, 10.1.0.0/16) on the same subnet (10.0.0.0/8)",
                "--subnet", "10.0.0.0/8", "--subnet", "fd00::/64", "--ip-range", "10.1.0.0/16", "--ip-range",
                "10.2.0.0/16"},
        };
        for (String[] c : cases) {
            List<String> argv = new ArrayList<>(List.of("network", "create"));
            argv.addAll(List.of(c).subList(1, c.length));
            argv.add("n");
            CliRun.Result r = keel().run(argv.toArray(String[]::new));
            assertEquals(1, r.code, argv + ": " + r);
            assertEquals(c[0] + "\n", r.err, argv.toString());
        }
        assertTrue(daemon.apiRequests().isEmpty(), calls().toString());
        // One subnet alone is not checked by the client: the daemon judges it.
        assertEquals(0, keel().run("network", "create", "--subnet", "10.0.0.0/33", "n").code);
        assertTrue(daemon.last().bodyText().contains("\"Config\":[{\"Subnet\":\"10.0.0.0/33\"}]"));
        assertEquals(0, keel().run("network", "create", "--subnet", "10.0.0.0/8", "--subnet", "fd00::/64",
                "--gateway", "fd00::1,10.0.0.1", "n").code);
        assertTrue(daemon.last().bodyText().contains("\"Config\":[{\"Subnet\":\"10.0.0.0/8\",\"Gateway\":\"10.0.0.1\"},"
                + "{\"Subnet\":\"fd00::/64\",\"Gateway\":\"fd00::1\"}]"), daemon.last().bodyText());
    }

    @Test
    void createUsageErrors() {
        CliRun.Result none = keel().run("network", "create");
        assertEquals(1, none.code);
        assertEquals("keel: 'keel network create' requires 1 argument\n\nUsage:  keel network create [OPTIONS] NETWORK"
                + "\n\nRun 'keel network create --help' for more information\n", none.err);
        CliRun.Result label = keel().run("network", "create", "--label", "=x", "n");
        assertEquals(125, label.code);
        assertEquals("invalid argument \"=x\" for \"--label\" flag: invalid label '=x': empty name\n\nUsage:  keel "
                + "network create [OPTIONS] NETWORK\n\nRun 'keel network create --help' for more information\n",
                label.err);
        CliRun.Result blank = keel().run("network", "create", "--label", "a b=x", "n");
        assertEquals(125, blank.code);
        assertTrue(blank.err.startsWith("invalid argument \"a b=x\" for \"--label\" flag: label 'a b' contains "
                + "whitespaces\n"), blank.err);
        CliRun.Result csv = keel().run("network", "create", "--subnet", "\"10.0.0.0/8", "n");
        assertEquals(125, csv.code);
        assertTrue(csv.err.startsWith("invalid argument \"\\\"10.0.0.0/8\" for \"--subnet\" flag: parse error on line "
                + "1, column 12: extraneous or missing \" in quoted-field\n"), csv.err);
        assertTrue(daemon.apiRequests().isEmpty());
    }

    @Test
    void createHelpListsDockersFlags() {
        CliRun.Result r = keel().run("network", "create", "--help");
        assertEquals(0, r.code);
        assertEquals("Usage:  keel network create [OPTIONS] NETWORK\n\nCreate a network\n\nOptions:\n"
                + "      --attachable           Enable manual container attachment\n"
                + "      --aux-address map      Auxiliary IPv4 or IPv6 addresses used by\n"
                + "                             Network driver (default map[])\n"
                + "      --config-from string   The network from which to copy the configuration\n"
                + "      --config-only          Create a configuration only network\n"
                + "  -d, --driver string        Driver to manage the Network (default \"bridge\")\n"
                + "      --gateway strings      IPv4 or IPv6 Gateway for the master subnet\n"
                + "      --ingress              Create swarm routing-mesh network\n"
                + "      --internal             Restrict external access to the network\n"
                + "      --ip-range strings     Allocate container ip from a sub-range\n"
                + "      --ipam-driver string   IP Address Management Driver (default \"default\")\n"
                + "      --ipam-opt map         Set IPAM driver specific options (default map[])\n"
                + "      --ipv4                 Enable or disable IPv4 address assignment\n"
                + "                             (default true)\n"
                + "      --ipv6                 Enable or disable IPv6 address assignment\n"
                + "      --label list           Set metadata on a network\n"
                + "  -o, --opt map              Set driver specific options (default map[])\n"
                + "      --scope string         Control the network's scope\n"
                + "      --subnet strings       Subnet in CIDR format that represents a\n"
                + "                             network segment\n", r.out);
    }

    // ----- ls

    @Test
    void lsTableSortsNaturallyAndTruncates() {
        CliRun.Result r = keel().run("network", "ls");
        assertEquals(0, r.code, r.toString());
        assertEquals("NETWORK ID     NAME      DRIVER    SCOPE\n"
                + "ffffffffffff   bridge    bridge    local\n"
                + "111111111111   host      host      local\n"
                + "aaaaaaaaaaaa   net1      bridge    local\n"
                + "222222222222   net10     bridge    local\n", r.out);
        assertEquals("GET /v1.50/networks", daemon.last().toString());
        assertEquals("NETWORK ID                                                         NAME      DRIVER    SCOPE\n"
                + "f".repeat(64) + "   bridge    bridge    local\n"
                + "1".repeat(64) + "   host      host      local\n"
                + "aaaaaaaaaaaa" + "b".repeat(52) + "   net1      bridge    local\n"
                + "2".repeat(64) + "   net10     bridge    local\n", keel().run("network", "ls", "--no-trunc").out);
        assertEquals("ffffffffffff\n111111111111\naaaaaaaaaaaa\n222222222222\n", keel().run("network", "list", "-q").out);
        assertEquals("network_id: ffffffffffff\nnetwork_id: 111111111111\nnetwork_id: aaaaaaaaaaaa\n"
                + "network_id: 222222222222\n", keel().run("network", "ls", "-q", "--format", "raw").out);
        assertEquals("NAME\nbridge\nhost\nnet1\nnet10\n",
                keel().run("network", "ls", "--format", "table {{.Name}}", "-q").out);
    }

    @Test
    void lsFiltersAndFormats() {
        CliRun.Result f = keel().run("network", "ls", "--filter", "driver=bridge", "-f", "name=net1", "-f", "Label=a");
        assertEquals(0, f.code);
        assertEquals("/v1.50/networks?filters=%7B%22driver%22%3A%7B%22bridge%22%3Atrue%7D%2C%22label%22%3A%7B%22a%22"
                + "%3Atrue%7D%2C%22name%22%3A%7B%22net1%22%3Atrue%7D%7D", daemon.last().target);

        assertEquals("bridge true false false   2024-06-01 11:58:00.123456789 +0000 UTC\n"
                + "host true false true   2024-06-01 11:58:00.123456789 +0000 UTC\n"
                + "net1 true false true a=b b 2024-06-01 11:58:00.123456789 +0000 UTC\n"
                + "net10 true false true a=b b 2024-06-01 11:58:00.123456789 +0000 UTC\n",
                keel().run("network", "ls", "--format", "{{.Name}} {{.IPv4}} {{.IPv6}} {{.Internal}} {{.Labels}} "
                        + "{{.Label \"a\"}} {{.CreatedAt}}").out);
        assertEquals("NETWORK ID     NAME      IPV4      IPV6      INTERNAL   LABELS    CREATED AT\n"
                + "ffffffffffff   bridge    true      false     false                2024-06-01 11:58:00.123456789 +0000 UTC\n"
                + "111111111111   host      true      false     true                 2024-06-01 11:58:00.123456789 +0000 UTC\n"
                + "aaaaaaaaaaaa   net1      true      false     true       a=b       2024-06-01 11:58:00.123456789 +0000 UTC\n"
                + "222222222222   net10     true      false     true       a=b       2024-06-01 11:58:00.123456789 +0000 UTC\n",
                keel().run("network", "ls", "--format", "table {{.ID}}\\t{{.Name}}\\t{{.IPv4}}\\t{{.IPv6}}\\t"
                        + "{{.Internal}}\\t{{.Labels}}\\t{{.CreatedAt}}").out);
        assertEquals("{\"CreatedAt\":\"2024-06-01 11:58:00.123456789 +0000 UTC\",\"Driver\":\"bridge\",\"ID\":"
                + "\"aaaaaaaaaaaa\",\"IPv4\":\"true\",\"IPv6\":\"false\",\"Internal\":\"true\",\"Labels\":\"a=b\","
                + "\"Name\":\"net1\",\"Scope\":\"local\"}",
                keel().run("network", "ls", "--format", "json").out.lines().toList().get(2));
        assertEquals("network_id: ffffffffffff\nname: bridge\ndriver: bridge\nscope: local\n\n"
                + "network_id: 111111111111\nname: host\ndriver: host\nscope: local\n\n"
                + "network_id: aaaaaaaaaaaa\nname: net1\ndriver: bridge\nscope: local\n\n"
                + "network_id: 222222222222\nname: net10\ndriver: bridge\nscope: local\n\n",
                keel().run("network", "ls", "--format", "raw").out);

        CliRun.Result bad = keel().run("network", "ls", "-f", "bad");
        assertEquals(125, bad.code);
        assertEquals("invalid argument \"bad\" for \"-f, --filter\" flag: bad format of filter (expected name=value)"
                + "\n\nUsage:  keel network ls [OPTIONS]\n\nRun 'keel network ls --help' for more information\n",
                bad.err);
        CliRun.Result args = keel().run("network", "ls", "x");
        assertEquals(1, args.code);
        assertEquals("keel: 'keel network ls' accepts no arguments\n\nUsage:  keel network ls [OPTIONS]\n\nRun "
                + "'keel network ls --help' for more information\n", args.err);
        CliRun.Result tmpl = keel().run("network", "ls", "--format", "{{.Nope}}");
        assertEquals(1, tmpl.code);
        assertEquals("template parsing error: template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in "
                + "type *network.networkContext\n", tmpl.err);
    }

    @Test
    void createdAtFollowsTheLocalZoneAsGoParsesIt() {
        daemon.onJson("GET /networks", "[" + NET1.replace("2024-06-01T11:58:00.123456789Z",
                "2024-06-01T13:58:00.5+02:00") + "]");
        CliRun run = keel();
        run.zone = java.time.ZoneId.of("Europe/Berlin");
        assertEquals("2024-06-01 13:58:00.5 +0200 CEST\n", run.run("network", "ls", "--format", "{{.CreatedAt}}").out);
        assertEquals("2024-06-01 13:58:00.5 +0200 +0200\n",
                keel().run("network", "ls", "--format", "{{.CreatedAt}}").out, "an offset the local zone lacks");
    }

    // ----- inspect

    @Test
    void inspectPrintsTheDaemonsJsonAndReportsMissingOnes() {
        CliRun.Result r = keel().run("network", "inspect", "net1");
        assertEquals(0, r.code, r.toString());
        assertTrue(r.out.startsWith("[\n    {\n        \"Name\": \"net1\",\n        \"Id\": \"aaaaaaaaaaaab"), r.out);
        assertTrue(r.out.contains("        \"IPAM\": {\n            \"Driver\": \"default\",\n            \"Options\": "
                + "{},\n            \"Config\": [\n                {\n                    \"Subnet\": \"198.18.7.0/24\","),
                r.out);
        assertTrue(r.out.endsWith("        \"Labels\": {\n            \"a\": \"b\"\n        }\n    }\n]\n"), r.out);

        CliRun.Result f = keel().run("network", "inspect", "-f", "{{.Name}} {{json .Labels}}", "net1", "nope");
        assertEquals(1, f.code);
        assertEquals("net1 {\"a\":\"b\"}\n", f.out);
        assertEquals("Error response from daemon: network nope not found\n", f.err);

        keel().run("network", "inspect", "-v", "--format", "json", "net1");
        assertEquals("/v1.50/networks/net1?verbose=true", daemon.last().target);

        CliRun.Result generic = keel().run("inspect", "-f", "{{.Name}}", "net1");
        assertEquals(0, generic.code, generic.toString());
        assertEquals("net1\n", generic.out);
        assertEquals(List.of("GET /v1.50/containers/net1/json", "GET /v1.50/images/net1/json",
                "GET /v1.50/networks/net1"), calls().subList(calls().size() - 3, calls().size()));

        CliRun.Result none = keel().run("network", "inspect");
        assertEquals(1, none.code);
        assertEquals("keel: 'keel network inspect' requires at least 1 argument\n\nUsage:  keel network inspect "
                + "[OPTIONS] NETWORK [NETWORK...]\n\nSee 'keel network inspect --help' for more information\n",
                none.err);
    }

    // ----- rm and prune

    @Test
    void rmGoesOnAfterFailuresAndEndsWithExitStatus() {
        daemon.on("DELETE /networks/net1", FakeDaemon.Response.text(204, null, ""));
        daemon.on("DELETE /networks/net2", FakeDaemon.Response.text(204, null, ""));
        daemon.on("DELETE /networks/nope", FakeDaemon.Response.json(404, "{\"message\":\"network nope not found\"}"));
        daemon.on("DELETE /networks/busy", FakeDaemon.Response.json(403, "{\"message\":\"error while removing "
                + "network: network busy id 123 has active endpoints\"}"));
        CliRun.Result r = keel().run("network", "rm", "net1", "nope", "busy", "net2");
        assertEquals(1, r.code);
        assertEquals("net1\nnet2\n", r.out);
        assertEquals("Error response from daemon: network nope not found\nError response from daemon: error while "
                + "removing network: network busy id 123 has active endpoints\nexit status 1\n", r.err);
        assertEquals(List.of("GET /v1.50/networks/net1", "DELETE /v1.50/networks/net1", "GET /v1.50/networks/nope",
                "DELETE /v1.50/networks/nope", "GET /v1.50/networks/busy", "DELETE /v1.50/networks/busy",
                "GET /v1.50/networks/net2", "DELETE /v1.50/networks/net2"), calls());

        CliRun.Result forced = keel().run("network", "remove", "-f", "nope", "net1");
        assertEquals(0, forced.code, forced.toString());
        assertEquals("net1\n", forced.out);
        assertEquals("", forced.err);
    }

    @Test
    void pruneAsksAndListsWhatWent() {
        daemon.onJson("POST /networks/prune", "{\"NetworksDeleted\":[\"net1\",\"net10\"]}");
        String warning = "WARNING! This will remove all custom networks not used by at least one container.\n"
                + "Are you sure you want to continue? [y/N] ";
        CliRun.Result no = keel().stdin("n\n").run("network", "prune");
        assertEquals(0, no.code);
        assertEquals(warning, no.out);
        assertTrue(daemon.apiRequests().isEmpty());
        CliRun.Result yes = keel().stdin("y\n").run("network", "prune");
        assertEquals(warning + "Deleted Networks:\nnet1\nnet10\n\n", yes.out);
        CliRun.Result forced = keel().run("network", "prune", "-f", "--filter", "until=24h", "--filter", "label=a");
        assertEquals("Deleted Networks:\nnet1\nnet10\n\n", forced.out);
        assertEquals("/v1.50/networks/prune?filters=%7B%22label%22%3A%7B%22a%22%3Atrue%7D%2C%22until%22%3A%7B%2224h"
                + "%22%3Atrue%7D%7D", daemon.last().target);
        daemon.onJson("POST /networks/prune", "{\"NetworksDeleted\":null}");
        assertEquals("", keel().run("network", "prune", "-f").out);
    }

    // ----- connect and disconnect

    @Test
    void connectAndDisconnectSendDockersBodies() {
        daemon.on("POST /networks/net1/connect", FakeDaemon.Response.text(200, null, ""));
        daemon.on("POST /networks/net1/disconnect", FakeDaemon.Response.text(200, null, ""));
        CliRun.Result r = keel().run("network", "connect", "--alias", "db", "--ip", "198.18.7.20", "net1", "c1");
        assertEquals(0, r.code, r.toString());
        assertEquals("", r.out + r.err);
        FakeDaemon.Request req = daemon.last();
        assertEquals("POST /v1.50/networks/net1/connect", req.toString());
        assertEquals("{\"Container\":\"c1\",\"EndpointConfig\":{\"IPAMConfig\":{\"IPv4Address\":\"198.18.7.20\"},"
                + "\"Links\":null,\"Aliases\":[\"db\"],\"MacAddress\":\"\",\"DriverOpts\":{},\"GwPriority\":0,"
                + "\"NetworkID\":\"\",\"EndpointID\":\"\",\"Gateway\":\"\",\"IPAddress\":\"\",\"IPPrefixLen\":0,"
                + "\"IPv6Gateway\":\"\",\"GlobalIPv6Address\":\"\",\"GlobalIPv6PrefixLen\":0,\"DNSNames\":null}}\n",
                req.bodyText());

        keel().run("network", "connect", "net1", "c1");
        assertEquals("{\"Container\":\"c1\",\"EndpointConfig\":{\"IPAMConfig\":{},\"Links\":null,\"Aliases\":[],"
                + "\"MacAddress\":\"\",\"DriverOpts\":{},\"GwPriority\":0,\"NetworkID\":\"\",\"EndpointID\":\"\","
                + "\"Gateway\":\"\",\"IPAddress\":\"\",\"IPPrefixLen\":0,\"IPv6Gateway\":\"\",\"GlobalIPv6Address\":"
                + "\"\",\"GlobalIPv6PrefixLen\":0,\"DNSNames\":null}}\n", daemon.last().bodyText());

        assertEquals(0, keel().run("network", "connect", "--alias", "a,b", "--alias", "c", "--ip6", "fd00::5",
                "--link", "x:y", "--link-local-ip", "169.254.1.1", "--driver-opt", "k=v", "--gw-priority", "3",
                "net1", "c1").code);
        assertEquals("{\"Container\":\"c1\",\"EndpointConfig\":{\"IPAMConfig\":{\"IPv6Address\":\"fd00::5\","
                + "\"LinkLocalIPs\":[\"169.254.1.1\"]},\"Links\":[\"x:y\"],\"Aliases\":[\"a\",\"b\",\"c\"],"
                + "\"MacAddress\":\"\",\"DriverOpts\":{\"k\":\"v\"},\"GwPriority\":3,\"NetworkID\":\"\",\"EndpointID\":"
                + "\"\",\"Gateway\":\"\",\"IPAddress\":\"\",\"IPPrefixLen\":0,\"IPv6Gateway\":\"\","
                + "\"GlobalIPv6Address\":\"\",\"GlobalIPv6PrefixLen\":0,\"DNSNames\":null}}\n",
                daemon.last().bodyText());

        keel().run("network", "disconnect", "net1", "c1");
        assertEquals("{\"Container\":\"c1\",\"Force\":false}\n", daemon.last().bodyText());
        keel().run("network", "disconnect", "-f", "net1", "c1");
        assertEquals("{\"Container\":\"c1\",\"Force\":true}\n", daemon.last().bodyText());
        assertEquals("POST /v1.50/networks/net1/disconnect", daemon.last().toString());
    }

    @Test
    void connectErrors() {
        int before = daemon.apiRequests().size();
        CliRun.Result opt = keel().run("network", "connect", "--driver-opt", "bad", "net1", "c1");
        assertEquals(1, opt.code);
        assertEquals("invalid key/value pair format in driver options\n", opt.err);
        CliRun.Result link = keel().run("network", "connect", "--link", "a:b:c", "net1", "c1");
        assertEquals(125, link.code);
        assertEquals("invalid argument \"a:b:c\" for \"--link\" flag: bad format for links: a:b:c\n\nUsage:  keel "
                + "network connect [OPTIONS] NETWORK CONTAINER\n\nRun 'keel network connect --help' for more "
                + "information\n", link.err);
        CliRun.Result args = keel().run("network", "connect", "net1");
        assertEquals(1, args.code);
        assertEquals("keel: 'keel network connect' requires 2 arguments\n\nUsage:  keel network connect [OPTIONS] "
                + "NETWORK CONTAINER\n\nRun 'keel network connect --help' for more information\n", args.err);
        CliRun.Result prio = keel().run("network", "connect", "--gw-priority", "x", "net1", "c1");
        assertEquals(125, prio.code);
        assertTrue(prio.err.startsWith("invalid argument \"x\" for \"--gw-priority\" flag: strconv.ParseInt: parsing "
                + "\"x\": invalid syntax\n"), prio.err);
        assertEquals(before, daemon.apiRequests().size());
        daemon.on("POST /networks/net1/connect", FakeDaemon.Response.json(404,
                "{\"message\":\"No such container: c9\"}"));
        CliRun.Result missing = keel().run("network", "connect", "net1", "c9");
        assertEquals(1, missing.code);
        assertEquals("Error response from daemon: No such container: c9\n", missing.err);
    }

    @Test
    void networkGroupHelp() {
        CliRun.Result r = keel().run("network");
        assertEquals(0, r.code);
        assertEquals("Usage:  keel network COMMAND\n\nManage networks\n\nCommands:\n"
                + "  connect     Connect a container to a network\n"
                + "  create      Create a network\n"
                + "  disconnect  Disconnect a container from a network\n"
                + "  inspect     Display detailed information on one or more networks\n"
                + "  ls          List networks\n"
                + "  prune       Remove all unused networks\n"
                + "  rm          Remove one or more networks\n"
                + "\nRun 'keel network COMMAND --help' for more information on a command.\n", r.out);
    }

    // ----- port

    static final String C1 = "{\"Id\":\"" + "c".repeat(64) + "\",\"Name\":\"/c1\",\"NetworkSettings\":{\"Ports\":"
            + "{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8080\"},{\"HostIp\":\"::1\",\"HostPort\":\"8080\"}],"
            + "\"443/tcp\":null,\"53/udp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"5353\"}],"
            + "\"9000/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"9000\"}]}}}";

    @Test
    void portListsMappingsInNaturalOrder() {
        daemon.onJson("GET /containers/c1/json", C1);
        daemon.on("GET /containers/nope/json", FakeDaemon.Response.json(404, "{\"message\":\"No such container: nope\"}"));
        assertEquals("53/udp -> 0.0.0.0:5353\n80/tcp -> 127.0.0.1:8080\n80/tcp -> [::1]:8080\n9000/tcp -> 0.0.0.0:9000\n",
                keel().run("port", "c1").out);
        assertEquals("GET /v1.50/containers/c1/json", daemon.last().toString());
        assertEquals("127.0.0.1:8080\n[::1]:8080\n", keel().run("port", "c1", "80").out);
        assertEquals("127.0.0.1:8080\n[::1]:8080\n", keel().run("port", "c1", "80/tcp").out);
        assertEquals("127.0.0.1:8080\n[::1]:8080\n", keel().run("port", "c1", "80/").out);
        assertEquals("0.0.0.0:5353\n", keel().run("port", "c1", "53/udp").out);
        assertEquals("0.0.0.0:9000\n", keel().run("container", "port", "c1", "9000").out);

        String[][] failures = {
            {"443", "Error: No public port '443' published for c1"},
            {"8080", "Error: No public port '8080' published for c1"},
            {"abc", "Error: invalid port (abc): strconv.ParseUint: parsing \"abc\": invalid syntax"},
            {"99999", "Error: invalid port (99999): strconv.ParseUint: parsing \"99999\": value out of range"},
        };
        for (String[] f : failures) {
            CliRun.Result r = keel().run("port", "c1", f[0]);
            assertEquals(1, r.code, f[0]);
            assertEquals("", r.out);
            assertEquals(f[1] + "\n", r.err);
        }
        CliRun.Result missing = keel().run("port", "nope");
        assertEquals(1, missing.code);
        assertEquals("Error response from daemon: No such container: nope\n", missing.err);
        CliRun.Result none = keel().run("port");
        assertEquals(1, none.code);
        assertEquals("keel: 'keel port' requires at least 1 and at most 2 arguments\n\nUsage:  keel port CONTAINER "
                + "[PRIVATE_PORT[/PROTO]]\n\nRun 'keel port --help' for more information\n", none.err);
        assertEquals(1, keel().run("port", "a", "b", "c").code);
        daemon.onJson("GET /containers/c2/json", "{\"Id\":\"x\",\"NetworkSettings\":{\"Ports\":{}}}");
        CliRun.Result nothing = keel().run("port", "c2");
        assertEquals(0, nothing.code);
        assertEquals("", nothing.out, "no mapping: nothing printed, not even a newline");
    }
}
