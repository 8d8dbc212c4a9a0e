package com.example.thumbnails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.testkit.DispatcherTestKit;
import io.kdispatch.testkit.FakeWorker;
import io.kdispatch.testkit.TaskFate;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The routing rules of {@link ThumbnailTasks}, through the real dispatcher topology, with no broker. */
class ThumbnailRoutingTest {
    private final DispatcherTestKit kit = DispatcherTestKit.create();
    private final FakeWorker gpu = kit.addWorker("gpu-1", ThumbnailTasks.GPU, 50);
    private final FakeWorker cpu = kit.addWorker("cpu-1", Map.of(), 50);

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void largeImagesGoOnlyToGpuWorkersAndTheExplanationSaysWhy() {
        for (int i = 0; i < 10; i++) {
            kit.submit(ThumbnailTasks.thumbnail("big-" + i, "album-" + i, 4_000, 3_000));
        }
        assertEquals(10, gpu.holding().size());
        assertTrue(cpu.holding().isEmpty());
        assertTrue(kit.explain("thumb-big-3").getExcluded().get("cpu-1").contains("label requirement"));
    }

    @Test
    void aLargeImageWaitsForItsGpuToComeBackRatherThanRunOnACpu() {
        kit.submit(ThumbnailTasks.thumbnail("big", "holiday", 4_000, 3_000));
        assertEquals(Optional.of("gpu-1"), kit.workerOf("thumb-big"));

        gpu.crash();
        kit.advance(Duration.ofSeconds(6)); // silent past the dispatcher's 5 s: dead, its task taken back
        assertInstanceOf(TaskFate.Waiting.class, kit.fate("thumb-big"));
        assertTrue(cpu.holding().isEmpty());

        gpu.restart();
        kit.advance(Duration.ofSeconds(1));
        TaskFate.Assigned again = assertInstanceOf(TaskFate.Assigned.class, kit.fate("thumb-big"));
        assertEquals("gpu-1", again.workerId());
        assertEquals(2, again.attempt());
    }

    @Test
    void theThumbnailsOfOneAlbumStayOnOneWorker() {
        kit.addWorker("cpu-2", Map.of(), 50);
        Set<String> workers = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            kit.submit(ThumbnailTasks.thumbnail("p-" + i, "wedding", 640, 480));
            workers.add(kit.workerOf("thumb-p-" + i).orElseThrow());
        }
        assertEquals(1, workers.size());
    }

    @Test
    void aFailedThumbnailIsRetriedOnAnotherGpuAndFinishes() {
        FakeWorker gpu2 = kit.addWorker("gpu-2", ThumbnailTasks.GPU, 50);
        kit.submit(ThumbnailTasks.thumbnail("x", "holiday", 4_000, 3_000));
        FakeWorker first = kit.workerOf("thumb-x").orElseThrow().equals("gpu-1") ? gpu : gpu2;
        FakeWorker second = first == gpu ? gpu2 : gpu;

        first.fail("thumb-x", "out of GPU memory");
        kit.advance(Duration.ofSeconds(1)); // the retry backoff
        assertEquals(Optional.of(second.id()), kit.workerOf("thumb-x"));

        second.run("thumb-x", new ThumbnailHandler((from, to) -> { }));
        TaskFate.Finished done = assertInstanceOf(TaskFate.Finished.class, kit.fate("thumb-x"));
        assertEquals(2, done.result().getAttempt());
    }
}
