package keel.cli.internal.container;

import keel.cli.internal.container.options.BadValue;
import keel.cli.internal.container.options.GoNumbers;
import keel.cli.internal.format.GoQuote;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** pflag's int flags: Go's base-0 integers, and pflag's wording when a value is not one. */
final class FlagValues {

    private FlagValues() {
    }

    static int integer(CommandSpec spec, String flag, String value) {
        try {
            return (int) GoNumbers.parseInt(value, 0, 32);
        } catch (BadValue e) {
            throw new ParameterException(spec.commandLine(), "invalid argument " + GoQuote.quote(value) + " for "
                    + GoQuote.quote(flag) + " flag: " + e.getMessage());
        }
    }
}
