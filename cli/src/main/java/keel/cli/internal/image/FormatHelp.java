package keel.cli.internal.image;

/** docker's --format help texts (flags.FormatHelp / InspectFormatHelp). */
public final class FormatHelp {

    public static final String TABLE = "Format output using a custom template:\n"
            + "'table':            Print output in table format with column headers (default)\n"
            + "'table TEMPLATE':   Print output in table format using the given Go template\n"
            + "'json':             Print in JSON format\n"
            + "'TEMPLATE':         Print output using the given Go template.\n"
            + "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with "
            + "templates";

    public static final String INSPECT = "Format output using a custom template:\n"
            + "'json':             Print in JSON format\n"
            + "'TEMPLATE':         Print output using the given Go template.\n"
            + "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with "
            + "templates";

    private FormatHelp() {
    }
}
