package keel.cli.internal.network;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import keel.cli.internal.format.GoMethod;
import keel.cli.internal.format.GoStruct;
import keel.cli.internal.format.GoTime;

/**
 * The rows of {@code docker network ls} (network.networkContext): ID cut to 12 characters unless --no-trunc, the
 * booleans as "true"/"false", labels as "k=v" joined by commas, CreatedAt as Go prints a time.
 */
final class NetworkRows {

    static final String TYPE = "*network.networkContext";

    static final String TABLE = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";

    static final String RAW = "network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: {{.Scope}}\\n";

    static final Map<String, String> HEADER = new LinkedHashMap<>();

    static {
        HEADER.put("ID", "NETWORK ID");
        HEADER.put("Name", "NAME");
        HEADER.put("Driver", "DRIVER");
        HEADER.put("Scope", "SCOPE");
        HEADER.put("IPv4", "IPV4");
        HEADER.put("IPv6", "IPV6");
        HEADER.put("Internal", "INTERNAL");
        HEADER.put("Labels", "LABELS");
        HEADER.put("CreatedAt", "CREATED AT");
    }

    private NetworkRows() {
    }

    /** network.NewFormat: the default table, the raw form, or the user's template as given. */
    static String format(String source, boolean quiet) {
        if (source.isEmpty() || source.equals("table")) {
            return quiet ? "{{.ID}}" : TABLE;
        }
        if (source.equals("raw")) {
            return quiet ? "network_id: {{.ID}}" : RAW;
        }
        return source;
    }

    /** formatter.SubHeaderContext: the column names, and Label naming a label column by its last dotted part. */
    static GoStruct header() {
        return GoStruct.subHeader(HEADER);
    }

    static GoStruct row(Map<?, ?> n, boolean trunc, ZoneId zone) {
        String id = str(n.get("Id"));
        Map<?, ?> labels = n.get("Labels") instanceof Map ? (Map<?, ?>) n.get("Labels") : null;
        GoStruct s = new GoStruct(TYPE);
        s.put("CreatedAt", GoTime.parsedString(n.get("Created") == null ? "0001-01-01T00:00:00Z"
                : str(n.get("Created")), zone));
        s.put("Driver", str(n.get("Driver")));
        s.put("ID", trunc && id.length() > 12 ? id.substring(0, 12) : id);
        s.put("IPv4", Boolean.toString(Boolean.TRUE.equals(n.get("EnableIPv4"))));
        s.put("IPv6", Boolean.toString(Boolean.TRUE.equals(n.get("EnableIPv6"))));
        s.put("Internal", Boolean.toString(Boolean.TRUE.equals(n.get("Internal"))));
        s.put("Labels", labels(labels));
        s.put("Label", new GoMethod() {
            @Override
            public int arity() {
                return 1;
            }

            @Override
            public Object call(List<Object> args) {
                Object v = labels == null ? null : labels.get(String.valueOf(args.get(0)));
                return v == null ? "" : v.toString();
            }
        });
        s.put("Name", str(n.get("Name")));
        s.put("Scope", str(n.get("Scope")));
        return s;
    }

    /** Go ranges over the label map in random order; keel keeps the daemon's (sorted) order. */
    private static String labels(Map<?, ?> labels) {
        if (labels == null) {
            return "";
        }
        List<String> joined = new ArrayList<>();
        for (Map.Entry<?, ?> e : labels.entrySet()) {
            joined.add(e.getKey() + "=" + (e.getValue() == null ? "" : e.getValue()));
        }
        return String.join(",", joined);
    }

    static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }
}
