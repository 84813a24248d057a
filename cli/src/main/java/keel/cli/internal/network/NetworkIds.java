package keel.cli.internal.network;

import keel.cli.internal.command.CliException;
import keel.cli.internal.http.Query;

/** How docker's API client names networks and containers in paths: trimmed, escaped, never empty (trimID). */
final class NetworkIds {

    private NetworkIds() {
    }

    static String trim(String kind, String id) throws CliException {
        String t = id.strip();
        if (t.isEmpty()) {
            throw new CliException(1, "invalid " + kind + " name or ID: value is empty");
        }
        return t;
    }

    static String path(String network, String suffix) throws CliException {
        return "/networks/" + Query.escape(trim("network", network), false) + suffix;
    }
}
