package keel.engine.core.internal.image.changes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import keel.engine.api.errors.EngineException;

/** EXPOSE's port specs ({@code 80}, {@code 53/udp}, {@code 8000-8002/tcp}) as Docker's nat package reads them. */
final class PortSpecs {

    private PortSpecs() {}

    /** The exposed-port keys of one spec ({@code 80/tcp}, one per port of a range). */
    static List<String> exposed(String spec) {
        String port = spec;
        String proto = "tcp";
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            port = spec.substring(0, slash);
            proto = spec.substring(slash + 1).toLowerCase(Locale.ROOT);
        }
        // An ip:host:container spec exposes its container port.
        int colon = port.lastIndexOf(':');
        if (colon >= 0) {
            port = port.substring(colon + 1);
        }
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
            throw EngineException.invalid("invalid proto: " + proto);
        }
        int start;
        int end;
        try {
            int dash = port.indexOf('-');
            start = Integer.parseInt(dash < 0 ? port : port.substring(0, dash));
            end = dash < 0 ? start : Integer.parseInt(port.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw EngineException.invalid("invalid containerPort: " + port);
        }
        if (start < 0 || end > 65535 || end < start) {
            throw EngineException.invalid("invalid containerPort: " + port);
        }
        List<String> out = new ArrayList<>();
        for (int p = start; p <= end; p++) {
            out.add(p + "/" + proto);
        }
        return out;
    }
}
