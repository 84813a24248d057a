package keel.runtime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import keel.engine.api.runtime.ExitStatus;

/**
 * Not a timing test (nothing here fails on slowness): it measures and prints what a container costs, for the
 * record. Output in target/surefire-reports/keel.runtime.linux.StartLatencyReport-output.txt.
 */
class StartLatencyReport extends RuntimeFixture {

    @Test
    void startToExitOfTrueAndMemoryPerRunningContainer() throws Exception {
        for (int i = 0; i < 10; i++) { // warm the JIT
            run(spec("true"));
        }
        List<Double> toRunning = new ArrayList<>(), toExit = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            DockerLikeSpec spec = spec("true");
            long t0 = System.nanoTime();
            Started s = start(spec);
            long t1 = System.nanoTime();
            assertEquals(ExitStatus.code(0), s.awaitExit());
            long t2 = System.nanoTime();
            toRunning.add((t1 - t0) / 1e6);
            toExit.add((t2 - t0) / 1e6);
            runtime.delete(s.id(), s.stateDir());
        }
        System.out.printf("docker-like spec, busybox true (load average %s): start() returned after median %.2f ms"
                + " (p10 %.2f, p90 %.2f), exit reported after median %.2f ms (p10 %.2f, p90 %.2f)%n",
                Files.readString(Path.of("/proc/loadavg")).split(" ")[0], median(toRunning), pct(toRunning, 0.1),
                pct(toRunning, 0.9), median(toExit), pct(toExit, 0.1), pct(toExit, 0.9));

        java.lang.management.MemoryMXBean mx = java.lang.management.ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        long heapBefore = mx.getHeapMemoryUsage().getUsed();
        int threadsBefore = Thread.activeCount();
        long fdsBefore = Files.list(Path.of("/proc/self/fd")).count();
        List<Started> running = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            running.add(start(spec("sleep", "600")));
        }
        System.gc();
        System.gc();
        long heapAfter = mx.getHeapMemoryUsage().getUsed();
        long containerRss = 0;
        for (Started s : running) {
            containerRss += rssKb(Path.of("/proc/" + s.container().pid() + "/status"));
        }
        System.out.printf("50 running containers: heap retained +%.1f KiB each, JVM threads %d -> %d, descriptors"
                + " +%.1f each; the container's own process (busybox sleep) %.0f KiB RSS each%n",
                (heapAfter - heapBefore) / 1024.0 / 50, threadsBefore, Thread.activeCount(),
                (Files.list(Path.of("/proc/self/fd")).count() - fdsBefore) / 50.0, containerRss / 50.0);
    }

    static long rssKb(Path status) throws Exception {
        return Files.readString(status).lines().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
    }

    static double median(List<Double> v) {
        return pct(v, 0.5);
    }

    static double pct(List<Double> v, double p) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get((int) (s.size() * p));
    }
}
