package keel.cli.internal.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.HttpResponse;
import keel.cli.internal.http.Query;
import keel.cli.internal.progress.ByteCountProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel save}: GET /images/get?names=... streamed to stdout or to a file. The file is written as docker's
 * atomicwriter does (a temporary file in the same directory, renamed over the target only when complete, mode
 * 0600), so an interrupted save never leaves a truncated archive under the requested name.
 */
@Command(name = "save")
public final class ImageSaveCommand extends KeelCommand {

    @Option(names = {"-o", "--output"}, paramLabel = "string", description = "Write to a file, instead of STDOUT")
    String output = "";

    @Option(names = "--platform", paramLabel = "string",
            description = "Save only the given platform variant. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")")
    String platform = "";

    @Override
    public int run(CommandContext ctx) throws Exception {
        Query q = new Query();
        for (String name : args) {
            q.add("names", name);
        }
        if (!platform.isEmpty()) {
            try {
                q.set("platform", Platform.toJson(platform));
            } catch (IllegalArgumentException e) {
                throw new CliException(1, "invalid platform: " + e.getMessage());
            }
        }
        if (output.isEmpty()) {
            if (ctx.stdoutIsTerminal()) {
                throw new CliException(1, "cowardly refusing to save to a terminal. Use the -o flag or redirect");
            }
            HttpResponse r = ctx.client().get("/images/get", q);
            OutputStream out = ctx.out().raw();
            r.body().transferTo(out);
            out.flush();
            ctx.client().release(r);
            return 0;
        }
        Path target = Path.of(output).toAbsolutePath();
        Path dir = target.getParent();
        if (Files.isDirectory(target)) {
            throw new CliException(1, "failed to save image: cannot write to a directory: \"" + output + "\"");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new CliException(1, "failed to save image: invalid output path: stat " + dir
                    + ": no such file or directory");
        }
        HttpResponse r = ctx.client().get("/images/get", q);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        // Ctrl-C mid-save: remove the partial archive instead of leaving a hidden temp file behind.
        Thread cleanup = new Thread(() -> {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort at exit
            }
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean ok = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream file = java.nio.channels.Channels.newOutputStream(ch)) {
                // Progress goes to stdout only when a person is watching it.
                ByteCountProgress counted = new ByteCountProgress(file, ctx.stdoutIsTerminal() ? ctx.out() : null,
                        "Saving");
                copy(r.body(), counted);
                counted.flush();
                ch.force(true);
                counted.done();
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncDirectory(dir);
            ok = true;
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        ctx.client().release(r);
        return 0;
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[128 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some file systems refuse to open directories for fsync; the rename is done either way
        }
    }
}
