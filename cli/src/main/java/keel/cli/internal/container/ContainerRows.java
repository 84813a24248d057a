package keel.cli.internal.container;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import keel.cli.internal.format.DisplayWidth;
import keel.cli.internal.format.GoMethod;
import keel.cli.internal.format.GoNil;
import keel.cli.internal.format.GoQuote;
import keel.cli.internal.format.GoStruct;
import keel.cli.internal.format.GoTime;
import keel.cli.internal.format.HumanUnits;
import keel.cli.internal.image.ImageReference;

/**
 * The rows of {@code docker ps} (formatter.ContainerContext): IDs cut to 12 hex digits, names without their "/",
 * the command quoted as Go quotes it after being cut to 20 columns ("…" last), CREATED as "2 minutes ago", STATUS
 * as the daemon words it, PORTS merged into ranges.
 */
final class ContainerRows {

    static final String TYPE = "*formatter.ContainerContext";

    static final String TABLE = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}"
            + "\t{{.Names}}";

    static final Map<String, String> HEADER = new LinkedHashMap<>();

    static {
        HEADER.put("ID", "CONTAINER ID");
        HEADER.put("Names", "NAMES");
        HEADER.put("Image", "IMAGE");
        HEADER.put("Command", "COMMAND");
        HEADER.put("CreatedAt", "CREATED AT");
        HEADER.put("RunningFor", "CREATED");
        HEADER.put("Ports", "PORTS");
        HEADER.put("State", "STATE");
        HEADER.put("Status", "STATUS");
        HEADER.put("Size", "SIZE");
        HEADER.put("Labels", "LABELS");
        HEADER.put("Mounts", "MOUNTS");
        HEADER.put("LocalVolumes", "LOCAL VOLUMES");
        HEADER.put("Networks", "NETWORKS");
        HEADER.put("Platform", "PLATFORM");
    }

    private ContainerRows() {
    }

    /**
     * The header row's data: the column names, and docker's Label header method, which names a label column after
     * the label's last dotted part with '-' and '_' as spaces.
     */
    static GoStruct header() {
        return GoStruct.subHeader(HEADER);
    }

    /** formatter.NewContainerFormat. */
    static String format(String source, boolean quiet, boolean size) {
        if (source.isEmpty() || source.equals("table")) {
            if (quiet) {
                return "{{.ID}}";
            }
            return size ? TABLE + "\t{{.Size}}" : TABLE;
        }
        if (source.equals("raw")) {
            if (quiet) {
                return "container_id: {{.ID}}";
            }
            String f = "container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: {{.CreatedAt}}\n"
                    + "state: {{- pad .State 1 0}}\nstatus: {{- pad .Status 1 0}}\nnames: {{.Names}}\n"
                    + "labels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n";
            return size ? f + "size: {{.Size}}\\n" : f;
        }
        return quiet ? "{{.ID}}" : source;
    }

    /** An empty row for checking a template before asking the daemon; notes whether it reads .Size. */
    static GoStruct probe(boolean[] sizeUsed) {
        GoStruct s = row(Map.of(), true, Instant.EPOCH, ZoneId.of("UTC"));
        s.put("Size", GoMethod.of(() -> {
            sizeUsed[0] = true;
            return "0B";
        }));
        return s;
    }

    static List<GoStruct> build(List<?> containers, boolean trunc, Instant now, ZoneId zone) {
        List<GoStruct> rows = new ArrayList<>();
        for (Object o : containers) {
            if (o instanceof Map) {
                rows.add(row((Map<?, ?>) o, trunc, now, zone));
            }
        }
        return rows;
    }

    static GoStruct row(Map<?, ?> c, boolean trunc, Instant now, ZoneId zone) {
        String id = str(c.get("Id"));
        long created = num(c.get("Created"));
        Map<?, ?> labels = c.get("Labels") instanceof Map ? (Map<?, ?>) c.get("Labels") : null;
        GoStruct s = new GoStruct(TYPE);
        s.put("Command", GoQuote.quote(trunc ? DisplayWidth.ellipsis(str(c.get("Command")), 20)
                : str(c.get("Command"))));
        s.put("CreatedAt", GoTime.string(created, zone));
        s.put("ID", trunc ? truncateId(id) : id);
        s.put("Image", image(str(c.get("Image")), str(c.get("ImageID")), trunc));
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
        s.put("LocalVolumes", Long.toString(localVolumes(c.get("Mounts"))));
        s.put("Mounts", mounts(c.get("Mounts"), trunc));
        s.put("Names", names(c.get("Names"), trunc));
        s.put("Networks", networks(c.get("NetworkSettings")));
        s.put("Platform", platform(c.get("ImageManifestDescriptor")));
        s.put("Ports", ports(c.get("Ports")));
        s.put("RunningFor", HumanUnits.humanDuration(Duration.between(Instant.ofEpochSecond(created), now)) + " ago");
        s.put("Size", size(num(c.get("SizeRw")), num(c.get("SizeRootFs"))));
        s.put("State", str(c.get("State")));
        s.put("Status", str(c.get("Status")));
        return s;
    }

    /** stringid.TruncateID. */
    static String truncateId(String id) {
        int colon = id.indexOf(':');
        if (colon >= 0) {
            id = id.substring(colon + 1);
        }
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** The image as the container was created from it; truncated, a digest is dropped (tag kept). */
    private static String image(String image, String imageId, boolean trunc) {
        if (image.isEmpty()) {
            return "<no image>";
        }
        if (trunc) {
            String t = truncateId(imageId);
            if (t.equals(truncateId(image))) {
                return t;
            }
            try {
                ImageReference ref = ImageReference.parseNormalized(image);
                return ref.tag() != null ? ref.familiarName() + ":" + ref.tag() : ref.familiarName();
            } catch (IllegalArgumentException e) {
                return image;
            }
        }
        return image;
    }

    /** Names without their "/"; truncated, only the container's own name (not legacy link aliases "a/b"). */
    private static String names(Object o, boolean trunc) {
        List<String> names = new ArrayList<>();
        if (o instanceof List) {
            for (Object n : (List<?>) o) {
                String s = String.valueOf(n);
                names.add(s.isEmpty() ? s : s.substring(1));
            }
        }
        if (trunc) {
            for (String n : names) {
                if (n.split("/", -1).length == 1) {
                    return n;
                }
            }
        }
        return String.join(",", names);
    }

    private static String labels(Map<?, ?> labels) {
        if (labels == null) {
            return "";
        }
        TreeSet<String> joined = new TreeSet<>();
        for (Map.Entry<?, ?> e : labels.entrySet()) {
            joined.add(e.getKey() + "=" + (e.getValue() == null ? "" : e.getValue()));
        }
        return String.join(",", joined);
    }

    private static String mounts(Object o, boolean trunc) {
        List<String> out = new ArrayList<>();
        if (o instanceof List) {
            for (Object m : (List<?>) o) {
                if (!(m instanceof Map)) {
                    continue;
                }
                String name = str(((Map<?, ?>) m).get("Name"));
                if (name.isEmpty()) {
                    name = str(((Map<?, ?>) m).get("Source"));
                }
                out.add(trunc ? DisplayWidth.ellipsis(name, 15) : name);
            }
        }
        return String.join(",", out);
    }

    private static long localVolumes(Object o) {
        long n = 0;
        if (o instanceof List) {
            for (Object m : (List<?>) o) {
                if (m instanceof Map && "local".equals(((Map<?, ?>) m).get("Driver"))) {
                    n++;
                }
            }
        }
        return n;
    }

    private static String networks(Object settings) {
        if (!(settings instanceof Map) || !(((Map<?, ?>) settings).get("Networks") instanceof Map)) {
            return "";
        }
        List<String> names = new ArrayList<>();
        for (Object k : ((Map<?, ?>) ((Map<?, ?>) settings).get("Networks")).keySet()) {
            names.add(String.valueOf(k));
        }
        return String.join(",", names);
    }

    private static Object platform(Object descriptor) {
        if (descriptor instanceof Map && ((Map<?, ?>) descriptor).get("platform") instanceof Map) {
            Map<?, ?> p = (Map<?, ?>) ((Map<?, ?>) descriptor).get("platform");
            String s = str(p.get("os")) + "/" + str(p.get("architecture"));
            if (!str(p.get("variant")).isEmpty()) {
                s += "/" + str(p.get("variant"));
            }
            return s;
        }
        return GoNil.POINTER;
    }

    private static String ports(Object o) {
        List<PortsColumn.Port> ports = new ArrayList<>();
        if (o instanceof List) {
            for (Object p : (List<?>) o) {
                if (p instanceof Map) {
                    Map<?, ?> m = (Map<?, ?>) p;
                    ports.add(new PortsColumn.Port(str(m.get("IP")), (int) num(m.get("PrivatePort")),
                            (int) num(m.get("PublicPort")), str(m.get("Type"))));
                }
            }
        }
        return PortsColumn.format(ports);
    }

    private static String size(long rw, long rootFs) {
        String srw = HumanUnits.humanSizeWithPrecision(rw, 3);
        return rootFs > 0 ? srw + " (virtual " + HumanUnits.humanSizeWithPrecision(rootFs, 3) + ")" : srw;
    }

    static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    static long num(Object o) {
        return o instanceof Number ? ((Number) o).longValue() : 0;
    }
}
