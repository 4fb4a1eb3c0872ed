package ddpo4j.rewards.remote;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Lets at most N asynchronous tasks run at once without blocking a thread while the others wait. */
final class AsyncLimiter {
    private final int permits;
    private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int used;

    AsyncLimiter(int permits) {
        this.permits = permits;
    }

    /** Starts {@code task} once a permit is free; the permit returns when the task's future completes. */
    <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> task) {
        return acquire().thenCompose(v -> {
            CompletableFuture<T> f;
            try {
                f = task.get();
            } catch (RuntimeException e) {
                release();
                return CompletableFuture.failedFuture(e);
            }
            return f.whenComplete((r, e) -> release());
        });
    }

    private synchronized CompletableFuture<Void> acquire() {
        if (used < permits) {
            used++;
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> turn = new CompletableFuture<>();
        waiting.add(turn);
        return turn;
    }

    private void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                used--;
            }
        }
        if (next != null) {
            next.complete(null); // the permit passes straight to the next task, outside the lock
        }
    }
}
