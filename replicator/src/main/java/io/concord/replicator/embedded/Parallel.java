package io.concord.replicator.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs slow start and stop tasks of servers at the same time, one thread each, and waits for all.
 *
 * <p>One thread per task on purpose: the common fork-join pool has a single worker on a 2-core
 * machine, and KRaft nodes must start (and stop) together or each waits for a quorum that never
 * forms.
 */
final class Parallel {

    private Parallel() {
    }

    /** Runs every task; waits for all of them even if some fail, then throws the first failure. */
    static void run(String what, List<Runnable> tasks) {
        call(what, tasks.stream().<Callable<Void>>map(task -> () -> {
            task.run();
            return null;
        }).toList());
    }

    /** Calls every task and returns their results in order; throws the first failure after all ended. */
    static <T> List<T> call(String what, List<? extends Callable<? extends T>> tasks) {
        List<Outcome<T>> outcomes = callAll(what, tasks);
        RuntimeException failure = null;
        List<T> results = new ArrayList<>(outcomes.size());
        for (Outcome<T> outcome : outcomes) {
            if (outcome.error() == null) {
                results.add(outcome.value());
            } else if (failure == null) {
                failure = asRuntime(what, outcome.error());
            } else {
                failure.addSuppressed(outcome.error());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }

    /** Calls every task and reports each result or error, in order, without throwing. */
    static <T> List<Outcome<T>> callAll(String what, List<? extends Callable<? extends T>> tasks) {
        AtomicInteger counter = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(Math.max(1, tasks.size()), runnable -> {
            Thread thread = new Thread(runnable, what + "-" + counter.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<CompletableFuture<T>> futures = new ArrayList<>();
            for (Callable<? extends T> task : tasks) {
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return task.call();
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                }, threads));
            }
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (CompletableFuture<T> future : futures) {
                outcomes.add(await(future));
            }
            return outcomes;
        } finally {
            threads.shutdownNow();
        }
    }

    private static <T> Outcome<T> await(CompletableFuture<T> future) {
        try {
            return new Outcome<>(future.get(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome<>(null, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
                    ? e.getCause().getCause()
                    : e.getCause();
            return new Outcome<>(null, cause);
        }
    }

    private static RuntimeException asRuntime(String what, Throwable error) {
        return error instanceof RuntimeException runtime
                ? runtime
                : new IllegalStateException(what + " failed: " + error, error);
    }

    /** The value or the error of one task. */
    record Outcome<T>(T value, Throwable error) {
    }
}
