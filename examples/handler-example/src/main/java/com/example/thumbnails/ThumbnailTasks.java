package com.example.thumbnails;

import io.kdispatch.schemas.Task;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The tasks this application submits, with their routing hints: the one place its routing rules live.
 * Images of more than {@value #GPU_PIXELS} pixels need a GPU worker (a hard label requirement); all thumbnails
 * of one album share an affinity key, so they run where that album's images are already cached.
 */
public final class ThumbnailTasks {
    /** The task type the {@link ThumbnailHandler} serves. */
    public static final String TYPE = "thumbnail";
    /** The label a GPU worker carries. */
    public static final Map<String, String> GPU = Map.of("accelerator", "gpu");
    /** Images above this many pixels go to GPU workers only. */
    public static final long GPU_PIXELS = 4_000_000;

    private ThumbnailTasks() {
    }

    /** The task that makes the thumbnail of a {@code width} x {@code height} image of {@code album}. */
    public static Task thumbnail(String imageId, String album, int width, int height) {
        Task.Builder task = Task.newBuilder()
                .setId("thumb-" + imageId)
                .setType(TYPE)
                .setAffinityKey("album-" + album)
                .setPayload(ByteBuffer.wrap((width + "x" + height).getBytes(StandardCharsets.UTF_8)));
        if ((long) width * height > GPU_PIXELS) {
            task.setRequiredLabels(GPU);
        }
        return task.build();
    }
}
