package keel.cli.internal.network;

import java.util.List;
import java.util.Map;

import keel.cli.internal.container.options.BadValue;
import keel.cli.internal.container.options.CsvFields;
import keel.cli.internal.container.options.GoNumbers;
import keel.cli.internal.format.GoQuote;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The flag types docker's network commands use, with pflag's parsing and wording: StringSlice (one flag may carry
 * several values as a CSV record), MapOpts ({@code key=value}, the value empty without "="), labels (ListOpts
 * with opts.ValidateLabel) and int. A bad value is a flag error (exit 125).
 */
final class PflagValues {
    /** opts' whiteSpaces: what may not appear in a label's name. */
    private static final String WHITESPACE = " \t";

    private PflagValues() {
    }

    static ParameterException invalid(CommandSpec spec, String flag, String value, String message) {
        return new ParameterException(spec.commandLine(), "invalid argument " + GoQuote.quote(value) + " for "
                + GoQuote.quote(flag) + " flag: " + message);
    }

    /** pflag's readAsCSV: an empty value adds nothing. */
    static void addCsv(CommandSpec spec, String flag, String value, List<String> into) {
        if (value.isEmpty()) {
            return;
        }
        try {
            into.addAll(CsvFields.parse(value));
        } catch (BadValue e) {
            throw invalid(spec, flag, value, e.getMessage());
        }
    }

    /** MapOpts.Set: cut at the first "="; later keys overwrite earlier ones. */
    static void putKeyValue(String value, Map<String, String> into) {
        int eq = value.indexOf('=');
        into.put(eq < 0 ? value : value.substring(0, eq), eq < 0 ? "" : value.substring(eq + 1));
    }

    /** opts.ValidateLabel: a name before "=", without blanks. */
    static String label(CommandSpec spec, String flag, String value) {
        int eq = value.indexOf('=');
        String key = (eq < 0 ? value : value.substring(0, eq)).replaceFirst("^[ \t]+", "");
        if (key.isEmpty()) {
            throw invalid(spec, flag, value, "invalid label '" + value + "': empty name");
        }
        for (char c : WHITESPACE.toCharArray()) {
            if (key.indexOf(c) >= 0) {
                throw invalid(spec, flag, value, "label '" + key + "' contains whitespaces");
            }
        }
        return value;
    }

    /** pflag's int: strconv.ParseInt(s, 0, 64). */
    static long integer(CommandSpec spec, String flag, String value) {
        try {
            return GoNumbers.parseInt(value, 0, 64);
        } catch (BadValue e) {
            throw invalid(spec, flag, value, e.getMessage());
        }
    }
}
