package keel.cli.internal.container;

import keel.cli.internal.command.CliException;
import keel.cli.internal.http.Query;

/** How docker's API client names containers in paths: trimmed, escaped, never empty. */
final class ContainerIds {

    private ContainerIds() {
    }

    /** The client's trimID: surrounding space dropped; an empty name fails before any request. */
    static String trim(String id) throws CliException {
        String t = id.strip();
        if (t.isEmpty()) {
            throw new CliException(1, "invalid container name or ID: value is empty");
        }
        return t;
    }

    static String path(String id, String suffix) {
        return "/containers/" + Query.escape(id, false) + suffix;
    }
}
