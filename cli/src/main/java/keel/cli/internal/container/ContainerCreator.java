package keel.cli.internal.container;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.Output;
import keel.cli.internal.container.options.ContainerFlags;
import keel.cli.internal.container.options.CreateRequestBuilder;
import keel.cli.internal.container.options.IpAddress;
import keel.cli.internal.http.DaemonException;
import keel.cli.internal.http.EngineClient;
import keel.cli.internal.http.HttpResponse;
import keel.cli.internal.http.Query;
import keel.cli.internal.http.RequestBody;
import keel.cli.internal.image.ImageReference;
import keel.cli.internal.json.JsonWriter;
import keel.cli.internal.progress.JsonMessageDisplay;

/**
 * docker's createContainer: {@code POST /containers/create?name=} with the parsed request; when the daemon has no
 * such image (404) and --pull is "missing", says "Unable to find image 'x:latest' locally", asks the daemon to pull
 * it ({@code POST /images/create?fromImage=&tag=}) and tries once more. Warnings go to stderr, the ID to --cidfile.
 * Failures are returned as exceptions carrying docker's message; the caller picks the exit code.
 */
final class ContainerCreator {

    /** Base64url of "{}": the registry credentials docker sends when it has none. */
    private static final String NO_AUTH = "e30=";

    private ContainerCreator() {
    }

    static String create(CommandContext ctx, ContainerFlags flags, CreateRequestBuilder.Request request)
            throws IOException, CliException {
        String image = (String) request.config.get("Image");
        String cidfile = (String) request.hostConfig.get("ContainerIDFile");
        Path cid = null;
        if (!cidfile.isEmpty()) {
            cid = Path.of(cidfile);
            try {
                Files.createFile(cid);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("container ID file found, make sure the other container isn't running or "
                        + "delete " + cidfile);
            } catch (IOException e) {
                throw new IOException("failed to create the container ID file: open " + cidfile + ": "
                        + e.getMessage());
            }
        }
        boolean written = false;
        try {
            ImageReference named = namedReference(image);
            if (flags.pull.equals("always")) {
                pull(ctx, flags, image);
            }
            EngineClient client = ctx.client();
            Query q = new Query();
            if (!flags.name.isEmpty()) {
                q.set("name", flags.name);
            }
            if (!flags.platform.isEmpty()) {
                q.set("platform", flags.platform.toLowerCase(java.util.Locale.ROOT));
            }
            // docker's client encodes with json.Encoder: HTML-escaped, one trailing newline.
            byte[] body = (JsonWriter.write(request.body(), true) + "\n").getBytes(StandardCharsets.UTF_8);
            Object created;
            try {
                created = post(client, q, body);
            } catch (DaemonException e) {
                if (!e.isNotFound() || named == null || !flags.pull.equals("missing")) {
                    throw e;
                }
                if (!flags.quiet) {
                    ctx.err().println("Unable to find image '" + familiar(named) + "' locally").flush();
                }
                pull(ctx, flags, image);
                created = post(client, q, body);
            }
            Map<?, ?> m = created instanceof Map ? (Map<?, ?>) created : Map.of();
            String id = m.get("Id") == null ? "" : m.get("Id").toString();
            Output err = ctx.err();
            if (m.get("Warnings") instanceof List) {
                for (Object w : (List<?>) m.get("Warnings")) {
                    err.println("WARNING: " + w);
                }
            }
            String dnsWarning = localhostDnsWarning(request.hostConfig.get("Dns"));
            if (dnsWarning != null) {
                err.println("WARNING: " + dnsWarning);
            }
            err.flush();
            if (cid != null) {
                Files.writeString(cid, id);
                written = true;
            }
            return id;
        } finally {
            if (cid != null && !written) {
                Files.deleteIfExists(cid);
            }
        }
    }

    private static Object post(EngineClient client, Query q, byte[] body) throws IOException {
        return client.readJson(client.call("POST", "/containers/create", q, RequestBody.ofBytes(body),
                "application/json", null));
    }

    /** reference.ParseAnyReference: an image ID is no name (nothing to pull); a bad reference fails. */
    private static ImageReference namedReference(String image) throws IOException {
        try {
            if (image.matches("(sha256:)?[a-f0-9]{64}")) {
                return null;
            }
            return ImageReference.parseNormalized(image).withDefaultTag();
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
    }

    private static String familiar(ImageReference ref) {
        String s = ref.familiarName();
        if (ref.tag() != null) {
            s += ":" + ref.tag();
        }
        if (ref.digest() != null) {
            s += "@" + ref.digest();
        }
        return s;
    }

    /**
     * docker's pullImage through the daemon: progress on stderr (dropped with -q), an error message in the stream
     * ends the command with that message.
     */
    private static void pull(CommandContext ctx, ContainerFlags flags, String image)
            throws IOException, CliException {
        ImageReference ref;
        try {
            ref = ImageReference.parseNormalized(image);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
        Query q = new Query().set("fromImage", ref.name());
        q.set("tag", ref.digest() != null ? ref.digest() : ref.withDefaultTag().tag());
        if (!flags.platform.isEmpty()) {
            q.set("platform", flags.platform);
        }
        EngineClient client = ctx.client();
        HttpResponse r = client.call("POST", "/images/create", q, null, null, Map.of("X-Registry-Auth", NO_AUTH));
        boolean terminal = ctx.stderrIsTerminal();
        Output target = flags.quiet ? new Output(OutputStream.nullOutputStream()) : ctx.err();
        try {
            new JsonMessageDisplay(target, terminal && !flags.quiet, terminal ? ctx.terminal().width() : 0, ctx::now)
                    .display(r.body());
        } catch (CliException e) {
            throw new IOException(e.getMessage());
        } finally {
            target.flush();
            client.release(r);
        }
    }

    /** docker warns about --dns pointing at the host's loopback, which the container cannot reach. */
    private static String localhostDnsWarning(Object dns) {
        if (dns instanceof List) {
            for (Object d : (List<?>) dns) {
                String ip = IpAddress.normalize(String.valueOf(d));
                if (ip != null && (ip.startsWith("127.") || ip.equals("::1"))) {
                    return "Localhost DNS (" + ip + ") may fail in containers.";
                }
            }
        }
        return null;
    }
}
