package keel.engine.core.internal.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DaemonOptionsTest {

    private static DaemonFlag flag(String name) {
        return DaemonFlag.byName(name).orElseThrow();
    }

    @Test
    void defaultsAreDockerdsWithKeelPaths() throws Exception {
        DaemonOptions o = DaemonOptions.parse(new String[0]);
        assertEquals(List.of("unix:///run/keel.sock"), o.values(flag("host")));
        assertEquals("/var/lib/keel", o.value("data-root"));
        assertEquals("/run/keel", o.value("exec-root"));
        assertEquals("/run/keel.pid", o.value("pidfile"));
        assertEquals("info", o.value("log-level"));
        assertFalse(o.bool("debug"));
    }

    @Test
    void acceptsTheSpellingsPflagAccepts() throws Exception {
        DaemonOptions o = DaemonOptions.parse(new String[] {"-H", "unix:///a.sock", "--host=tcp://127.0.0.1:2375",
                "-Hunix:///b.sock", "--data-root", "/d", "-s", "vfs", "-D", "--storage-opt", "size=1G",
                "--storage-opt=x=y", "-l=debug"});
        assertEquals(List.of("unix:///a.sock", "tcp://127.0.0.1:2375", "unix:///b.sock"), o.values(flag("host")));
        assertEquals("/d", o.value("data-root"));
        assertEquals("vfs", o.value("storage-driver"));
        assertTrue(o.bool("debug"));
        assertEquals(List.of("size=1G", "x=y"), o.values(flag("storage-opt")));
        assertEquals("debug", o.value("log-level"));
    }

    @Test
    void rejectsUnknownFlagsMissingValuesAndArguments() {
        var e = assertThrows(DaemonOptions.InvalidOptionsException.class,
                () -> DaemonOptions.parse(new String[] {"--bogus"}));
        assertEquals("unknown flag: --bogus", e.getMessage());
        e = assertThrows(DaemonOptions.InvalidOptionsException.class,
                () -> DaemonOptions.parse(new String[] {"--data-root"}));
        assertEquals("flag needs an argument: --data-root", e.getMessage());
        e = assertThrows(DaemonOptions.InvalidOptionsException.class,
                () -> DaemonOptions.parse(new String[] {"start"}));
        assertTrue(e.getMessage().contains("accepts no arguments"));
        e = assertThrows(DaemonOptions.InvalidOptionsException.class,
                () -> DaemonOptions.parse(new String[] {"--debug=yes"}));
        assertTrue(e.getMessage().contains("must be true or false"));
    }

    @Test
    void fileValuesApplyWhenNoFlagSetsThem() throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("data-root", "/srv/keel");
        json.put("hosts", List.of("unix:///x.sock"));
        json.put("debug", true);
        DaemonOptions o = DaemonOptions.parse(new String[] {"-s", "vfs"}).withFile(json);
        assertEquals("/srv/keel", o.value("data-root"));
        assertEquals(List.of("unix:///x.sock"), o.values(flag("host")));
        assertTrue(o.bool("debug"));
        assertEquals("vfs", o.value("storage-driver"));
    }

    @Test
    void aKeyInBothPlacesIsAnErrorAsInDockerd() throws Exception {
        DaemonOptions o = DaemonOptions.parse(new String[] {"--data-root", "/a"});
        var e = assertThrows(DaemonOptions.InvalidOptionsException.class,
                () -> o.withFile(Map.of("data-root", "/b")));
        assertEquals("the following directives are specified both as a flag and in the configuration file: "
                + "data-root: (from flag: /a, from file: /b)", e.getMessage());
    }

    @Test
    void unknownKeysAndWrongTypesAreErrors() throws Exception {
        DaemonOptions o = DaemonOptions.parse(new String[0]);
        var e = assertThrows(DaemonOptions.InvalidOptionsException.class,
                () -> o.withFile(Map.of("no-such-option", 1)));
        assertEquals("the following directives don't match any configuration option: no-such-option",
                e.getMessage());
        e = assertThrows(DaemonOptions.InvalidOptionsException.class, () -> o.withFile(Map.of("hosts", "x")));
        assertTrue(e.getMessage().contains("hosts"));
        e = assertThrows(DaemonOptions.InvalidOptionsException.class, () -> o.withFile(Map.of("debug", "true")));
        assertTrue(e.getMessage().contains("debug"));
    }

    @Test
    void logOptionsComeAsPairsFromFlagsOrAsAnObjectFromTheFile() throws Exception {
        DaemonOptions o = DaemonOptions.parse(new String[] {"--log-opt", "max-size=10m", "--log-opt=max-file=3"});
        assertEquals(List.of("max-size=10m", "max-file=3"), o.values(flag("log-opt")));
        o = DaemonOptions.parse(new String[0]).withFile(Map.of("log-opts", Map.of("compress", "true")));
        assertEquals(List.of("compress=true"), o.values(flag("log-opt")));
        var e = assertThrows(DaemonOptions.InvalidOptionsException.class,
                () -> DaemonOptions.parse(new String[] {"--log-opt", "nonsense"}));
        assertTrue(e.getMessage().contains("key=value"), e.getMessage());
        assertEquals("json-file", DaemonOptions.parse(new String[0]).value("log-driver"));
    }

    @Test
    void hostsAreCheckedBeforeAnythingStarts() throws Exception {
        DaemonHosts.validate("unix:///run/keel.sock");
        DaemonHosts.validate("tcp://127.0.0.1:2375");
        DaemonHosts.validate("tcp://localhost:2375");
        assertThrows(DaemonOptions.InvalidOptionsException.class, () -> DaemonHosts.validate("unix://rel.sock"));
        assertThrows(DaemonOptions.InvalidOptionsException.class, () -> DaemonHosts.validate("tcp://127.0.0.1"));
        assertThrows(DaemonOptions.InvalidOptionsException.class, () -> DaemonHosts.validate("ssh://host"));
        var e = assertThrows(DaemonOptions.InvalidOptionsException.class,
                () -> DaemonHosts.validate("tcp://0.0.0.0:2375"));
        assertTrue(e.getMessage().contains("loopback"));
    }

    @Test
    void usageListsEveryFlag() {
        String usage = DaemonOptions.usage();
        for (DaemonFlag f : DaemonFlag.ALL) {
            assertTrue(usage.contains("--" + f.longName()), f.longName());
        }
    }

    @Test
    void networkingOptionsComeAsDockerdsFlagsOrItsDaemonJsonKeys() throws Exception {
        DaemonOptions o = DaemonOptions.parse(new String[] {"--bip", "198.18.0.1/24", "-b", "kbr0",
                "--default-address-pool", "base=198.18.0.0/16,size=24", "--iptables=false", "--dns", "1.1.1.1",
                "--dns-search", "corp", "--dns-opt", "ndots:2"});
        assertEquals("198.18.0.1/24", o.value("bip"));
        assertEquals("kbr0", o.value("bridge"));
        assertEquals(List.of("base=198.18.0.0/16,size=24"), o.values(flag("default-address-pool")));
        assertFalse(o.bool("iptables"));
        assertTrue(o.bool("userland-proxy"), "dockerd's default");
        assertEquals("1500", o.value("mtu"));
        assertEquals(List.of("ndots:2"), o.values(flag("dns-opt")));

        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> pool = new LinkedHashMap<>();
        pool.put("base", "198.19.0.0/16");
        pool.put("size", 24);
        json.put("default-address-pools", List.of(pool));
        json.put("mtu", 1400);
        json.put("ip-masq", false);
        DaemonOptions file = DaemonOptions.parse(new String[0]).withFile(json);
        assertEquals(List.of("base=198.19.0.0/16,size=24"), file.values(flag("default-address-pool")),
                "daemon.json's objects in the flag's form");
        assertEquals("1400", file.value("mtu"));
        assertFalse(file.bool("ip-masq"));
    }
}
