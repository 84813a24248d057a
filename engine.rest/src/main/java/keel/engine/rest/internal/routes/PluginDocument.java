package keel.engine.rest.internal.routes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import keel.engine.api.plugin.PluginInfo;
import keel.engine.rest.internal.json.DockerJson;

/**
 * A Keel plugin bundle in Docker's Plugin shape, so {@code docker plugin ls} and {@code docker plugin inspect}
 * work. Docker plugins are containers speaking over a socket; a Keel plugin is an OSGi bundle in the daemon, so
 * the container parts (mounts, devices, capabilities, network) are empty and the socket is "". Each driver kind
 * becomes an interface type {@code keel.<kind>driver/1.0} (Docker's are {@code docker.volumedriver/1.0}, ...).
 * What Docker has no field for (bundle, version, state, registered drivers, file) is under {@code Bundle}, which
 * the CLI ignores and {@code docker plugin inspect} prints.
 */
final class PluginDocument {
    /** Docker names plugins {@code name:tag}; Keel's have no tags, so they show as Docker's default tag. */
    static final String TAG = ":latest";

    private PluginDocument() {}

    static ObjectNode of(PluginInfo p, DockerJson json) {
        ObjectNode doc = json.object();
        doc.put("Id", id(p.name()));
        doc.put("Name", p.name().contains(":") ? p.name() : p.name() + TAG);
        doc.put("Enabled", p.enabled());
        ObjectNode settings = doc.putObject("Settings");
        settings.putArray("Mounts");
        settings.putArray("Env");
        settings.putArray("Args");
        settings.putArray("Devices");
        ObjectNode config = doc.putObject("Config");
        config.put("Description", description(p));
        config.put("Documentation", "");
        ObjectNode iface = config.putObject("Interface");
        ArrayNode types = iface.putArray("Types");
        interfaceTypes(p.drivers()).forEach(types::add);
        iface.put("Socket", "");
        config.putArray("Entrypoint");
        config.put("WorkDir", "");
        config.putObject("User");
        config.putObject("Network").put("Type", "");
        ObjectNode linux = config.putObject("Linux");
        linux.putArray("Capabilities");
        linux.put("AllowAllDevices", false);
        linux.putArray("Devices");
        config.put("PropagatedMount", "");
        config.put("IpcHost", false);
        config.put("PidHost", false);
        config.putArray("Mounts");
        config.putArray("Env");
        ObjectNode args = config.putObject("Args");
        args.put("Name", "");
        args.put("Description", "");
        args.putArray("Settable");
        args.putArray("Value");
        ObjectNode bundle = doc.putObject("Bundle");
        bundle.put("SymbolicName", text(p.symbolicName()));
        bundle.put("Version", text(p.version()));
        bundle.put("State", text(p.state()));
        ArrayNode drivers = bundle.putArray("Drivers");
        if (p.drivers() != null) {
            p.drivers().forEach(drivers::add);
        }
        bundle.put("Location", text(p.location()));
        return doc;
    }

    /** A stable 64-hex ID, as Docker's plugin IDs look, derived from the plugin's name. */
    static String id(String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            StringBuilder s = new StringBuilder(64);
            for (byte b : d) {
                s.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return s.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** {@code storage:vfs} → {@code keel.storagedriver/1.0}; one type per kind. */
    static Set<String> interfaceTypes(List<String> drivers) {
        Set<String> types = new LinkedHashSet<>();
        if (drivers != null) {
            for (String d : drivers) {
                int colon = d.indexOf(':');
                String kind = (colon < 0 ? d : d.substring(0, colon)).toLowerCase(Locale.ROOT);
                if (!kind.isEmpty()) {
                    types.add("keel." + kind + "driver/1.0");
                }
            }
        }
        return types;
    }

    private static String description(PluginInfo p) {
        StringBuilder s = new StringBuilder(text(p.symbolicName()));
        if (p.version() != null && !p.version().isEmpty()) {
            s.append(' ').append(p.version());
        }
        if (p.drivers() != null && !p.drivers().isEmpty()) {
            s.append(" (").append(String.join(", ", p.drivers())).append(')');
        }
        return s.toString();
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
