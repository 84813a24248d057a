package keel.cli.internal.command;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link Stty} as a child process with /dev/tty as its standard input (stty acts on its stdin). */
final class SttyProcess implements Stty {

    private static final String STTY = new File("/bin/stty").canExecute() ? "/bin/stty" : "stty";

    @Override
    public String run(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(args.length + 1);
        cmd.add(STTY);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/tty"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("stty " + String.join(" ", args) + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("stty interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("stty " + String.join(" ", args) + " failed (exit " + p.exitValue() + ")");
        }
        return out;
    }
}
