package keel.cli.internal.container.options;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One --network value: a network name or mode ("bridge", "host", "none", "container:x", a user network), or the
 * long form {@code name=net,alias=a,ip=...,driver-opt=k=v,gw-priority=n} (recognized, as docker does, by any
 * {@code word=word} inside it).
 */
public final class NetworkAttachment {

    private static final Pattern LONG_SYNTAX = Pattern.compile("\\w+=\\w+(,\\w+=\\w+)*");

    String target = "";
    List<String> aliases;
    List<String> links;
    String ipv4 = "";
    String ipv6 = "";
    String macAddress = "";
    List<String> linkLocalIps;
    Map<String, String> driverOpts;
    long gwPriority;

    public String target() {
        return target;
    }

    public static NetworkAttachment parse(String value) throws BadValue {
        NetworkAttachment n = new NetworkAttachment();
        if (!LONG_SYNTAX.matcher(value).find()) {
            n.target = value;
            return n;
        }
        n.aliases = new ArrayList<>();
        for (String field : CsvFields.parse(value)) {
            String lower = field.toLowerCase(Locale.ROOT);
            int eq = lower.indexOf('=');
            if (eq <= 0) {
                throw new BadValue("invalid field " + field);
            }
            String key = lower.substring(0, eq).trim();
            String val = lower.substring(eq + 1).trim();
            switch (key) {
                case "name":
                    n.target = val;
                    break;
                case "alias":
                    n.aliases.add(val);
                    break;
                case "ip":
                    n.ipv4 = val;
                    break;
                case "ip6":
                    n.ipv6 = val;
                    break;
                case "mac-address":
                    n.macAddress = val;
                    break;
                case "link-local-ip":
                    if (n.linkLocalIps == null) {
                        n.linkLocalIps = new ArrayList<>();
                    }
                    n.linkLocalIps.add(val);
                    break;
                case "driver-opt":
                    int deq = val.indexOf('=');
                    if (deq <= 0) {
                        throw new BadValue("invalid key value pair format in driver options");
                    }
                    if (n.driverOpts == null) {
                        n.driverOpts = new TreeMap<>();
                    }
                    n.driverOpts.put(val.substring(0, deq).trim(), val.substring(deq + 1).trim());
                    break;
                case "gw-priority":
                    try {
                        n.gwPriority = Long.parseLong(val);
                    } catch (NumberFormatException e) {
                        throw new BadValue("invalid gw-priority (" + val + "): invalid syntax");
                    }
                    break;
                default:
                    throw new BadValue("invalid field key " + key);
            }
        }
        if (n.target.isEmpty()) {
            throw new BadValue("network name/id is not specified");
        }
        return n;
    }

    /** container.NetworkMode.IsUserDefined: anything but default, bridge, host, none and container:x. */
    public static boolean isUserDefined(String mode) {
        return !mode.equals("default") && !mode.equals("bridge") && !mode.equals("host") && !mode.equals("none")
                && !mode.startsWith("container:");
    }
}
