package keel.cli.internal.system;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.command.Output;
import keel.cli.internal.format.GoTemplate;
import keel.cli.internal.format.GoValues;
import keel.cli.internal.format.HumanUnits;
import keel.cli.internal.format.TemplateException;
import keel.cli.internal.http.ClientVersion;
import keel.cli.internal.http.ConnectionFailedException;
import keel.cli.internal.image.FormatHelp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel info}: GET /info printed in docker's layout (system/info.go prettyPrintInfo), warnings on stderr.
 * Driver kinds docker does not know (Keel's Storage and Runtime plugins) are listed after docker's own.
 */
@Command(name = "info")
public final class InfoCommand extends KeelCommand {

    private static final Set<String> DOCKER_PLUGIN_KINDS = Set.of("Volume", "Network", "Authorization", "Log");

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.INSPECT)
    String format = "";

    @Override
    public int run(CommandContext ctx) throws Exception {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("Debug", Boolean.FALSE);
        client.put("Version", ClientVersion.VERSION);
        client.put("DefaultAPIVersion", ClientVersion.API_VERSION);
        client.put("JavaVersion", System.getProperty("java.version"));
        client.put("Os", "linux");
        client.put("Arch", VersionCommand.goArch());
        client.put("Plugins", List.of());
        client.put("Warnings", null);

        Map<?, ?> info = null;
        IOException connectError = null;
        List<String> serverErrors = new ArrayList<>();
        try {
            Object o = ctx.client().getJson("/info", null);
            info = o instanceof Map ? (Map<?, ?>) o : Map.of();
        } catch (ConnectionFailedException e) {
            connectError = e;
        } catch (IOException e) {
            serverErrors.add(e.getMessage());
        }

        if (!format.isEmpty()) {
            String text = format.equals("json") ? "{{json .}}" : format;
            GoTemplate tmpl;
            try {
                tmpl = GoTemplate.parse(text);
            } catch (TemplateException e) {
                throw new CliException(64, "template parsing error: " + e.getMessage());
            }
            Map<String, Object> data = new LinkedHashMap<>();
            if (info != null) {
                for (Map.Entry<?, ?> e : info.entrySet()) {
                    data.put(String.valueOf(e.getKey()), e.getValue());
                }
            }
            if (!serverErrors.isEmpty()) {
                data.put("ServerErrors", serverErrors);
                ctx.err().println(serverErrors.get(0));
            }
            data.put("ClientInfo", client);
            String rendered;
            try {
                rendered = tmpl.execute(data, false);
            } catch (TemplateException e) {
                ctx.out().println();
                if (connectError != null) {
                    throw connectError;
                }
                throw new CliException(1, e.getMessage());
            }
            ctx.out().println(rendered);
            if (connectError != null) {
                throw connectError;
            }
            return 0;
        }

        Output out = ctx.out();
        out.println("Client:");
        out.println(" Version:    " + ClientVersion.VERSION);
        out.println(" Debug Mode: false");
        out.println();
        out.println("Server:");
        List<String> warnings = new ArrayList<>();
        if (info != null) {
            printServer(out, info, serverErrors);
            Object w = info.get("Warnings");
            if (w instanceof List) {
                for (Object s : (List<?>) w) {
                    warnings.add(String.valueOf(s));
                }
            }
        }
        out.flush();
        for (String w : warnings) {
            ctx.err().println(w);
        }
        for (String e : serverErrors) {
            ctx.err().println("ERROR: " + e);
        }
        if (connectError != null) {
            throw connectError;
        }
        if (!serverErrors.isEmpty()) {
            throw new CliException(1, "errors pretty printing info");
        }
        return 0;
    }

    private static void printServer(Output out, Map<?, ?> i, List<String> errors) {
        line(out, " Containers:", i.get("Containers"));
        line(out, "  Running:", i.get("ContainersRunning"));
        line(out, "  Paused:", i.get("ContainersPaused"));
        line(out, "  Stopped:", i.get("ContainersStopped"));
        line(out, " Images:", i.get("Images"));
        nonEmpty(out, " Server Version:", i.get("ServerVersion"));
        nonEmpty(out, " Storage Driver:", i.get("Driver"));
        for (Object pair : list(i.get("DriverStatus"))) {
            List<?> p = list(pair);
            if (p.size() >= 2) {
                out.println("  " + p.get(0) + ": " + p.get(1));
            }
        }
        for (Object pair : list(i.get("SystemStatus"))) {
            List<?> p = list(pair);
            if (p.size() >= 2) {
                out.println(" " + p.get(0) + ": " + p.get(1));
            }
        }
        nonEmpty(out, " Logging Driver:", i.get("LoggingDriver"));
        nonEmpty(out, " Cgroup Driver:", i.get("CgroupDriver"));
        nonEmpty(out, " Cgroup Version:", i.get("CgroupVersion"));
        Map<?, ?> plugins = map(i.get("Plugins"));
        out.println(" Plugins:");
        out.println("  Volume: " + join(plugins.get("Volume")));
        out.println("  Network: " + join(plugins.get("Network")));
        if (!list(plugins.get("Authorization")).isEmpty()) {
            out.println("  Authorization: " + join(plugins.get("Authorization")));
        }
        out.println("  Log: " + join(plugins.get("Log")));
        for (Map.Entry<?, ?> e : plugins.entrySet()) {
            if (!DOCKER_PLUGIN_KINDS.contains(String.valueOf(e.getKey()))) {
                out.println("  " + e.getKey() + ": " + join(e.getValue()));
            }
        }
        List<?> cdi = list(i.get("CDISpecDirs"));
        if (!cdi.isEmpty()) {
            out.println(" CDI spec directories:");
            for (Object d : cdi) {
                out.println("  " + d);
            }
        }
        Map<?, ?> swarm = map(i.get("Swarm"));
        Object state = swarm.get("LocalNodeState");
        line(out, " Swarm:", state == null ? "" : state);
        Map<?, ?> runtimes = map(i.get("Runtimes"));
        if (!runtimes.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Object k : runtimes.keySet()) {
                names.add(String.valueOf(k));
            }
            out.println(" Runtimes: " + String.join(" ", names));
            line(out, " Default Runtime:", i.get("DefaultRuntime"));
        }
        if ("linux".equals(i.get("OSType"))) {
            line(out, " Init Binary:", i.get("InitBinary"));
            line(out, " containerd version:", map(i.get("ContainerdCommit")).get("ID"));
            line(out, " runc version:", map(i.get("RuncCommit")).get("ID"));
            line(out, " init version:", map(i.get("InitCommit")).get("ID"));
            List<?> security = list(i.get("SecurityOptions"));
            if (!security.isEmpty()) {
                StringBuilder sb = new StringBuilder(" Security Options:\n");
                boolean ok = true;
                for (Object so : security) {
                    String name = null;
                    String profile = null;
                    for (String kv : String.valueOf(so).split(",")) {
                        int eq = kv.indexOf('=');
                        if (eq < 0) {
                            ok = false;
                            errors.add("invalid security option \"" + kv + "\"");
                            break;
                        }
                        String k = kv.substring(0, eq);
                        String v = kv.substring(eq + 1);
                        if (k.equals("name")) {
                            name = v;
                        } else if (k.equals("profile")) {
                            profile = v;
                        }
                    }
                    if (!ok) {
                        break;
                    }
                    sb.append("  ").append(name).append('\n');
                    if (profile != null) {
                        sb.append("   Profile: ").append(profile).append('\n');
                    }
                }
                if (ok) {
                    out.print(sb.toString());
                }
            }
        }
        if ("windows".equals(i.get("OSType"))) {
            line(out, " Default Isolation:", i.get("Isolation"));
        }
        nonEmpty(out, " Kernel Version:", i.get("KernelVersion"));
        nonEmpty(out, " Operating System:", i.get("OperatingSystem"));
        nonEmpty(out, " OSType:", i.get("OSType"));
        nonEmpty(out, " Architecture:", i.get("Architecture"));
        line(out, " CPUs:", i.get("NCPU"));
        Object mem = i.get("MemTotal");
        out.println(" Total Memory: " + HumanUnits.bytesSize(mem instanceof Number ? ((Number) mem).doubleValue() : 0));
        nonEmpty(out, " Name:", i.get("Name"));
        nonEmpty(out, " ID:", i.get("ID"));
        line(out, " Docker Root Dir:", i.get("DockerRootDir"));
        line(out, " Debug Mode:", i.get("Debug"));
        if (Boolean.TRUE.equals(i.get("Debug"))) {
            line(out, "  File Descriptors:", i.get("NFd"));
            line(out, "  Goroutines:", i.get("NGoroutines"));
            line(out, "  System Time:", i.get("SystemTime"));
            line(out, "  EventsListeners:", i.get("NEventsListener"));
        }
        nonEmpty(out, " HTTP Proxy:", i.get("HttpProxy"));
        nonEmpty(out, " HTTPS Proxy:", i.get("HttpsProxy"));
        nonEmpty(out, " No Proxy:", i.get("NoProxy"));
        List<?> labels = list(i.get("Labels"));
        if (!labels.isEmpty()) {
            out.println(" Labels:");
            for (Object l : labels) {
                out.println("  " + l);
            }
        }
        line(out, " Experimental:", i.get("ExperimentalBuild") == null ? Boolean.FALSE : i.get("ExperimentalBuild"));
        Map<?, ?> registry = map(i.get("RegistryConfig"));
        Map<?, ?> indexConfigs = map(registry.get("IndexConfigs"));
        List<?> cidrs = list(registry.get("InsecureRegistryCIDRs"));
        if (!cidrs.isEmpty() || !indexConfigs.isEmpty()) {
            out.println(" Insecure Registries:");
            Set<String> names = new TreeSet<>();
            for (Object c : indexConfigs.values()) {
                Map<?, ?> cfg = map(c);
                if (!Boolean.TRUE.equals(cfg.get("Secure"))) {
                    names.add(String.valueOf(cfg.get("Name")));
                }
            }
            for (String n : names) {
                out.println("  " + n);
            }
            for (Object c : cidrs) {
                out.println("  " + c);
            }
        }
        List<?> mirrors = list(registry.get("Mirrors"));
        if (!mirrors.isEmpty()) {
            out.println(" Registry Mirrors:");
            for (Object m : mirrors) {
                out.println("  " + m);
            }
        }
        line(out, " Live Restore Enabled:", i.get("LiveRestoreEnabled") == null ? Boolean.FALSE
                : i.get("LiveRestoreEnabled"));
        Object license = i.get("ProductLicense");
        if (license instanceof String && !((String) license).isEmpty()) {
            out.println(" Product License: " + license);
        }
        List<?> pools = list(i.get("DefaultAddressPools"));
        if (!pools.isEmpty()) {
            out.println(" Default Address Pools:");
            for (Object p : pools) {
                Map<?, ?> pool = map(p);
                out.println("   Base: " + pool.get("Base") + ", Size: " + GoValues.print(pool.get("Size"), false));
            }
        }
        out.println();
    }

    /** fmt.Fprintln(label, value). */
    private static void line(Output out, String label, Object value) {
        out.println(label + " " + GoValues.print(value == null ? "" : value, false));
    }

    /** fprintlnNonEmpty. */
    private static void nonEmpty(Output out, String label, Object value) {
        if (value instanceof String && !((String) value).isEmpty()) {
            out.println(label + " " + value);
        }
    }

    private static String join(Object o) {
        List<String> s = new ArrayList<>();
        for (Object e : list(o)) {
            s.add(String.valueOf(e));
        }
        return String.join(" ", s);
    }

    private static List<?> list(Object o) {
        return o instanceof List ? (List<?>) o : List.of();
    }

    private static Map<?, ?> map(Object o) {
        return o instanceof Map ? (Map<?, ?>) o : Map.of();
    }
}
