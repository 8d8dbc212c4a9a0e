package io.kdispatch.sdk.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.sdk.ExecutionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ExecutionLogTest {

    @Test
    void queriesSeeWhatWasRecorded() {
        ExecutionLog log = new ExecutionLog();
        log.onExecuted(event("t1", "w1", ResultStatus.SUCCEEDED));
        log.onExecuted(event("t2", "w1", ResultStatus.FAILED));
        log.onExecuted(event("t1", "w2", ResultStatus.SUCCEEDED));
        assertEquals(3, log.count());
        assertEquals(2, log.executionsOf("t1"));
        assertEquals(List.of("w1", "w2"), log.byTask("t1").stream().map(ExecutionEvent::workerId).toList());
        assertEquals(2, log.byWorker("w1").size());
        assertEquals(1, log.count(ResultStatus.FAILED));
        assertEquals(List.of("t1", "t2"), new ArrayList<>(log.groupedByTask().keySet()));
        log.clear();
        assertEquals(0, log.count());
    }

    @Test
    void recordsFromManyThreadsWithoutLoss() throws InterruptedException {
        ExecutionLog log = new ExecutionLog();
        int threads = 8;
        int each = 500;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String worker = "w" + t;
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    log.onExecuted(event("t" + i, worker, ResultStatus.SUCCEEDED));
                }
            });
            thread.start();
            started.add(thread);
        }
        go.countDown();
        for (Thread thread : started) {
            thread.join();
        }
        assertEquals(threads * each, log.count());
        assertEquals(threads, log.executionsOf("t7"));
    }

    private static ExecutionEvent event(String task, String worker, ResultStatus status) {
        return new ExecutionEvent(task, worker, 1, 1, status, status == ResultStatus.FAILED ? "boom" : null, 3);
    }
}
