package io.concord.replicator.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one hand-off costs on this machine: a byte sent over loopback TCP to a thread that waits for it and answers,
 * the step every JDBC statement, every Kafka request and every wake-up between the bench's processes takes. A row
 * crosses about fifteen of them in Concord's pipeline and three in PostgreSQL's own replication, so their price
 * weighs on the two systems differently, and it moves with the machine: the kernel, a hypervisor that system calls
 * trap into, the cores' speed. Printed with the bench's environment so that runs on different machines can be read
 * side by side.
 */
final class HandOffCost {

    /** Round trips measured, after as many unmeasured ones: a fraction of a second here. */
    static final int ROUND_TRIPS = 5_000;

    /** The median wall time of one of {@code roundTrips} and the CPU both threads spent per round trip, in µs. */
    record Measured(int roundTrips, double roundTripMicros, double cpuMicros) {

        String describe() {
            return ("loopback round trip %.1f µs (median), %.1f µs of CPU (%,d one-byte round trips between two"
                    + " threads)").formatted(roundTripMicros, cpuMicros, roundTrips);
        }
    }

    private HandOffCost() {
    }

    static Measured measure() throws IOException, InterruptedException {
        return measure(ROUND_TRIPS);
    }

    static Measured measure(int roundTrips) throws IOException, InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicLong echoCpu = new AtomicLong(-1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> echo(server, 2 * roundTrips, threads, echoCpu), "bench-hand-off-echo");
            echo.start();
            long[] nanos = new long[roundTrips];
            long cpuBefore;
            long cpuAfter;
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                socket.setTcpNoDelay(true);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                for (int i = 0; i < roundTrips; i++) {
                    roundTrip(in, out); // unmeasured: the JIT compiles the loop, the socket's buffers settle
                }
                cpuBefore = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < roundTrips; i++) {
                    long start = System.nanoTime();
                    roundTrip(in, out);
                    nanos[i] = System.nanoTime() - start;
                }
                cpuAfter = threads.getCurrentThreadCpuTime();
            }
            echo.join(TimeUnit.SECONDS.toMillis(10));
            if (echo.isAlive() || echoCpu.get() < 0) {
                echo.interrupt();
                throw new IllegalStateException("the hand-off's echo thread did not finish its " + 2 * roundTrips
                        + " round trips");
            }
            Arrays.sort(nanos);
            double cpuMicros = (cpuAfter - cpuBefore + echoCpu.get()) / 1e3 / roundTrips;
            return new Measured(roundTrips, nanos[roundTrips / 2] / 1e3, cpuMicros);
        }
    }

    private static void roundTrip(InputStream in, OutputStream out) throws IOException {
        out.write(1);
        if (in.read() < 0) {
            throw new IOException("the hand-off's echo thread closed the socket early");
        }
    }

    /** Answers {@code count} bytes; records the CPU it spent on the second half (the measured round trips). */
    private static void echo(ServerSocket server, int count, ThreadMXBean threads, AtomicLong cpu) {
        try (Socket socket = server.accept()) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            long before = 0;
            for (int i = 0; i < count; i++) {
                if (i == count / 2) {
                    before = threads.getCurrentThreadCpuTime();
                }
                int value = in.read();
                if (value < 0) {
                    return;
                }
                out.write(value);
            }
            cpu.set(threads.getCurrentThreadCpuTime() - before);
        } catch (IOException e) {
            // The measuring side sees the socket fail and reports it.
        }
    }
}
