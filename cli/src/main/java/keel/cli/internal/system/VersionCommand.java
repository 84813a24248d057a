package keel.cli.internal.system;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.format.GoTemplate;
import keel.cli.internal.format.GoTime;
import keel.cli.internal.format.TabWriter;
import keel.cli.internal.format.TemplateException;
import keel.cli.internal.format.TemplateFunctions;
import keel.cli.internal.http.ClientVersion;
import keel.cli.internal.http.EngineClient;
import keel.cli.internal.image.FormatHelp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel version}: the client's own facts and GET /version, in docker's layout (a template run through a
 * tabwriter with docker's widths). The client section says "Java version" where docker says "Go version".
 * When the daemon cannot be reached the client section is still printed, then the error (exit 1), as docker does.
 */
@Command(name = "version")
public final class VersionCommand extends KeelCommand {

    static final String TEMPLATE = "{{with .Client -}}\n"
            + "Client:\n"
            + " Version:\t{{.Version}}\n"
            + " API version:\t{{.ApiVersion}}{{if ne .ApiVersion .DefaultAPIVersion}} (downgraded from "
            + "{{.DefaultAPIVersion}}){{end}}\n"
            + " Java version:\t{{.JavaVersion}}\n"
            + " OS/Arch:\t{{.Os}}/{{.Arch}}\n"
            + "{{- end}}\n"
            + "\n"
            + "{{- if ne .Server nil}}{{with .Server}}\n"
            + "\n"
            + "Server:{{with .Platform}}{{with .Name}} {{.}}{{end}}{{end}}\n"
            + " {{- range $component := .Components}}\n"
            + " {{$component.Name}}:\n"
            + "  {{- if eq $component.Name \"Engine\" }}\n"
            + "  Version:\t{{.Version}}\n"
            + "  API version:\t{{index .Details \"ApiVersion\"}} (minimum version {{index .Details \"MinAPIVersion\"}})\n"
            + "  {{- with index .Details \"JavaVersion\"}}\n"
            + "  Java version:\t{{.}}{{end}}\n"
            + "  {{- with index .Details \"GoVersion\"}}\n"
            + "  Go version:\t{{.}}{{end}}\n"
            + "  Git commit:\t{{index .Details \"GitCommit\"}}\n"
            + "  Built:\t{{index .Details \"BuildTime\"}}\n"
            + "  OS/Arch:\t{{index .Details \"Os\"}}/{{index .Details \"Arch\"}}\n"
            + "  Experimental:\t{{index .Details \"Experimental\"}}\n"
            + "  {{- else }}\n"
            + "  Version:\t{{$component.Version}}\n"
            + "  {{- range $key, $value := $component.Details}}\n"
            + "  {{$key}}:\t{{$value}}\n"
            + "   {{- end}}\n"
            + "  {{- end}}\n"
            + " {{- end}}\n"
            + " {{- end}}{{- end}}";

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.INSPECT)
    String format = "";

    @Override
    public int run(CommandContext ctx) throws Exception {
        String text = format.isEmpty() ? TEMPLATE : format.equals("json") ? "{{json .}}" : format;
        GoTemplate tmpl;
        try {
            tmpl = GoTemplate.parse("version", text, TemplateFunctions.basic());
        } catch (TemplateException e) {
            throw new CliException(64, "template parsing error: " + e.getMessage());
        }
        EngineClient client = ctx.client();
        Object server = null;
        IOException serverError = null;
        try {
            client.negotiate();
            server = client.getJson("/version", null);
        } catch (IOException e) {
            serverError = e;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("Client", clientInfo(client.currentVersion()));
        data.put("Server", server instanceof Map ? withEngineComponent((Map<?, ?>) server, ctx) : null);
        StringBuilder out = new StringBuilder();
        TabWriter tw = new TabWriter(out, 20, 1);
        TemplateException templateError = null;
        StringBuilder rendered = new StringBuilder();
        try {
            tmpl.execute(rendered, data, false, TemplateFunctions.basic());
        } catch (TemplateException e) {
            templateError = e;
        }
        tw.write(rendered).write("\n");
        tw.flush();
        ctx.out().print(out.toString());
        if (serverError != null) {
            throw serverError;
        }
        if (templateError != null) {
            throw new CliException(1, templateError.getMessage());
        }
        return 0;
    }

    static Map<String, Object> clientInfo(String apiVersion) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("Version", ClientVersion.VERSION);
        c.put("ApiVersion", apiVersion);
        c.put("DefaultAPIVersion", ClientVersion.API_VERSION);
        c.put("JavaVersion", System.getProperty("java.version"));
        c.put("Os", "linux");
        c.put("Arch", goArch());
        return c;
    }

    /** Go's GOARCH spelling of the JVM's os.arch. */
    static String goArch() {
        String a = System.getProperty("os.arch");
        switch (a) {
            case "amd64":
            case "x86_64":
                return "amd64";
            case "aarch64":
                return "arm64";
            case "x86":
            case "i386":
                return "386";
            default:
                return a;
        }
    }

    /** docker shows an "Engine" component, synthesized from the top-level fields if the daemon sent none. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withEngineComponent(Map<?, ?> server, CommandContext ctx) {
        Map<String, Object> s = new LinkedHashMap<>((Map<String, Object>) server);
        Object comps = s.get("Components");
        List<Object> components = comps instanceof List ? new java.util.ArrayList<>((List<Object>) comps)
                : new java.util.ArrayList<>();
        boolean found = false;
        for (int i = 0; i < components.size(); i++) {
            Object c = components.get(i);
            if (c instanceof Map && "Engine".equals(((Map<?, ?>) c).get("Name"))) {
                found = true;
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) c);
                Object details = copy.get("Details");
                if (details instanceof Map) {
                    Map<String, Object> d = new LinkedHashMap<>((Map<String, Object>) details);
                    if (d.get("BuildTime") instanceof String) {
                        d.put("BuildTime", GoTime.reformatDate((String) d.get("BuildTime"), ctx.zone()));
                    }
                    copy.put("Details", d);
                }
                components.set(i, copy);
            }
        }
        if (!found) {
            Map<String, Object> d = new HashMap<>();
            d.put("ApiVersion", str(s.get("ApiVersion")));
            d.put("MinAPIVersion", str(s.get("MinAPIVersion")));
            d.put("GitCommit", str(s.get("GitCommit")));
            if (s.get("GoVersion") != null) {
                d.put("GoVersion", str(s.get("GoVersion")));
            }
            if (s.get("JavaVersion") != null) {
                d.put("JavaVersion", str(s.get("JavaVersion")));
            }
            d.put("Os", str(s.get("Os")));
            d.put("Arch", str(s.get("Arch")));
            d.put("BuildTime", GoTime.reformatDate(str(s.get("BuildTime")), ctx.zone()));
            d.put("Experimental", String.valueOf(Boolean.TRUE.equals(s.get("Experimental"))));
            Map<String, Object> engine = new LinkedHashMap<>();
            engine.put("Name", "Engine");
            engine.put("Version", str(s.get("Version")));
            engine.put("Details", d);
            components.add(engine);
        }
        s.put("Components", components);
        return s;
    }

    private static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }
}
