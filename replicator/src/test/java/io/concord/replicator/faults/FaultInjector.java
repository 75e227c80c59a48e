package io.concord.replicator.faults;

import io.concord.replicator.embedded.EmbeddedKafkaCluster;
import io.concord.replicator.embedded.KafkaCluster;
import io.concord.replicator.testing.ClusterFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strikes a scenario's faults while the load runs, each on a thread of its own at its time, and undoes each after
 * its length; {@link #heal()} then brings back whatever is still down. Keeps a timestamped log of what it did.
 * Plans must not overlap two faults on one target.
 */
final class FaultInjector {

    private final ClusterFixture cluster;
    private final Replicators replicators;
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> cutOff = Collections.synchronizedSet(new TreeSet<>());
    private long startNanos;

    FaultInjector(ClusterFixture cluster, Replicators replicators) {
        this.cluster = cluster;
        this.replicators = replicators;
    }

    void start(List<Fault> faults) {
        startNanos = System.nanoTime();
        for (Fault fault : faults) {
            Thread thread = new Thread(() -> run(fault), "fault-" + fault.kind() + "-" + fault.target());
            threads.add(thread);
            thread.start();
        }
    }

    private void run(Fault fault) {
        try {
            sleepUntil(fault.at());
            strike(fault);
            if (fault.kind() == Fault.Kind.CUT_OFF) {
                return;
            }
            Thread.sleep(fault.length().toMillis());
            undo(fault);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | AssertionError e) {
            errors.add(fault + " failed: " + e);
            note("FAILED " + fault + ": " + e);
        }
    }

    private void strike(Fault fault) throws Exception {
        note(fault.toString());
        switch (fault.kind()) {
            case KILL_REPLICATOR -> replicators.kill(fault.dc());
            case RESTART_REPLICATOR, CUT_OFF -> {
                String unclean = replicators.stop(fault.dc());
                if (unclean != null) {
                    errors.add(unclean);
                }
                if (fault.kind() == Fault.Kind.CUT_OFF) {
                    cutOff.add(fault.dc());
                }
            }
            case KILL_BROKER -> kafka().killBroker(fault.broker());
            case RESTART_POSTGRES -> cluster.postgres(fault.dc()).stop();
        }
    }

    private void undo(Fault fault) throws Exception {
        switch (fault.kind()) {
            case KILL_REPLICATOR, RESTART_REPLICATOR -> {
                replicators.start(fault.dc());
                replicators.awaitActive(fault.dc());
            }
            case KILL_BROKER -> cluster.kafka().startBroker(fault.broker());
            case RESTART_POSTGRES -> cluster.postgres(fault.dc()).start();
            case CUT_OFF -> {
                replicators.start(fault.dc());
                replicators.awaitActive(fault.dc());
            }
        }
        note("undone: " + fault.target());
    }

    /** Waits for every fault to be undone, then reconnects the DCs cut off; returns once all replicators are active. */
    void heal() throws Exception {
        for (Thread thread : threads) {
            thread.join(300_000);
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not finish within 5 minutes");
            }
        }
        for (String dc : List.copyOf(cutOff)) {
            undo(Fault.on(Fault.Kind.CUT_OFF, dc, Duration.ZERO, Duration.ZERO));
        }
        cutOff.clear();
        note("healed");
    }

    /** What happened, when (seconds after the load started). */
    List<String> log() {
        return List.copyOf(log);
    }

    /** Faults that could not be struck or undone. */
    List<String> errors() {
        return List.copyOf(errors);
    }

    private EmbeddedKafkaCluster kafka() {
        KafkaCluster kafka = cluster.kafka();
        if (!(kafka instanceof EmbeddedKafkaCluster embedded)) {
            throw new IllegalStateException("killing a broker needs the embedded Kafka cluster, not " + kafka);
        }
        return embedded;
    }

    private void note(String what) {
        log.add(String.format("%6.1f s  %s", (System.nanoTime() - startNanos) / 1e9, what));
    }

    private void sleepUntil(Duration at) throws InterruptedException {
        long wait = startNanos + at.toNanos() - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
