package keel.engine.core.internal.container;

import java.util.List;

/**
 * What {@code docker info} says about containers (for the system service): how many there are in each state, and
 * sentences for the operator about them and their runtimes (e.g. that exit codes of containers that exit while the
 * daemon is down cannot be recovered, when the runtime says so).
 */
public interface ContainerCounts {

    /** Containers by state; a paused container counts as paused only, a restarting one as running. */
    record Counts(int total, int running, int paused, int stopped) {}

    Counts counts();

    /** Warnings for {@code docker info}, each a sentence starting with "WARNING:" when it is one. */
    List<String> warnings();
}
