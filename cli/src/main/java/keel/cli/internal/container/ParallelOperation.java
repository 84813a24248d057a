package keel.cli.internal.container;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.http.EngineClient;

/**
 * docker's parallelOperation: the same request for each named container, up to 50 at a time (each on its own
 * connection), results reported in the order the names were given. Stopping ten containers takes one stop
 * timeout, not ten.
 */
final class ParallelOperation {

    @FunctionalInterface
    interface Op {
        void apply(EngineClient client, String container) throws IOException, CliException;
    }

    private ParallelOperation() {
    }

    /** One entry per container: null when it worked, the error message otherwise (a DaemonException's kept). */
    static List<Exception> run(CommandContext ctx, List<String> containers, Op op) throws CliException {
        EngineClient client = ctx.client();
        List<Exception> results = new ArrayList<>();
        if (containers.size() == 1) {
            results.add(attempt(client, containers.get(0), op));
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(50, containers.size()), r -> {
            Thread t = new Thread(r, "keel-parallel");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Exception>> futures = new ArrayList<>();
            for (String c : containers) {
                futures.add(pool.submit(() -> {
                    EngineClient own;
                    try {
                        own = client.fork();
                    } catch (IOException e) {
                        return e;
                    }
                    try {
                        return attempt(own, c, op);
                    } finally {
                        own.close();
                    }
                }));
            }
            for (Future<Exception> f : futures) {
                try {
                    results.add(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CliException(1, "interrupted");
                } catch (java.util.concurrent.ExecutionException e) {
                    results.add(new IOException(e.getCause()));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return results;
    }

    private static Exception attempt(EngineClient client, String container, Op op) {
        try {
            op.apply(client, container);
            return null;
        } catch (IOException | CliException e) {
            return e;
        }
    }

    /** Prints the names that worked; the errors, joined by newlines as errors.Join does, end the command (exit 1). */
    static int report(CommandContext ctx, List<String> containers, List<Exception> results) throws CliException {
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < containers.size(); i++) {
            if (results.get(i) != null) {
                errors.add(results.get(i).getMessage());
                continue;
            }
            ctx.out().println(containers.get(i));
        }
        if (!errors.isEmpty()) {
            throw new CliException(1, String.join("\n", errors));
        }
        return 0;
    }
}
