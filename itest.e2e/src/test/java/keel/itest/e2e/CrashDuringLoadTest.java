package keel.itest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.core.internal.image.TestImages;

/**
 * kill -9 of the daemon in the middle of a load: after a restart the half-loaded image is nowhere (not listed,
 * no layers, no scratch files), and every image loaded before is listed and usable (saved back byte for byte).
 */
class CrashDuringLoadTest {

    @Test
    void killNineInTheMiddleOfALoadLeavesNoPartialImage(@TempDir Path work) throws Exception {
        try (KeelDaemon d = KeelDaemon.start()) {
            TestImages.Image busybox = Fixtures.busybox();
            Cli.docker(d, "load", "-i", Fixtures.dockerArchive(work, "busybox.tar", busybox, "busybox:latest")
                    .toString()).ok();
            TestImages.Image big = Fixtures.big(48);
            byte[] archive = TestImages.dockerArchive(List.of(new TestImages.Named(big, "big:latest")), false,
                    false);

            // Stream most of the archive into POST /images/load, then kill the daemon while it waits for the rest.
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(d.socket));
                OutputStream out = Channels.newOutputStream(ch);
                out.write(("POST /v1.50/images/load?quiet=0 HTTP/1.1\r\nHost: keel\r\nContent-Type: application/x-tar\r\n"
                        + "Content-Length: " + archive.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(archive, 0, archive.length * 9 / 10);
                out.flush();
                Thread.sleep(1500);
                d.kill9();
            }

            d.restart();
            String images = Cli.docker(d, "images", "--format", "{{.Repository}}:{{.Tag}}").ok().out();
            assertFalse(images.contains("big"), images);
            assertTrue(images.contains("busybox:latest"), images);
            assertEquals(busybox.id(), new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(Cli.docker(d, "image", "inspect", "busybox").ok().out()).get(0).get("Id").asText());
            Path scratch = d.dataRoot.resolve("tmp");
            if (Files.isDirectory(scratch)) {
                try (Stream<Path> s = Files.list(scratch)) {
                    assertEquals(List.of(), s.toList(), "scratch files of the killed load are cleaned up");
                }
            }
            Path layerDb = d.dataRoot.resolve("image/overlay2/layerdb/sha256");
            try (Stream<Path> s = Files.list(layerDb)) {
                assertEquals(List.of(busybox.diffIds().get(0).substring(7)),
                        s.map(p -> p.getFileName().toString()).toList(), "only busybox's layer is recorded");
            }

            // The earlier image is whole: saved and loaded back elsewhere it has the same ID and layers.
            Path saved = work.resolve("saved.tar");
            Cli.docker(d, "save", "-o", saved.toString(), "busybox").ok();
            String config = ImagesWithDockerCli.run("skopeo", "inspect", "--raw", "--config",
                    "docker-archive:" + saved + ":busybox:latest");
            assertEquals(busybox.id(), "sha256:" + ImagesWithDockerCli.sha256(config));

            // And the interrupted image loads fine afterwards.
            Path bigFile = work.resolve("big.tar");
            Files.write(bigFile, archive);
            Cli.docker(d, "load", "-i", bigFile.toString()).ok();
            assertTrue(Cli.docker(d, "images").ok().out().contains("big"));
        }
    }
}
