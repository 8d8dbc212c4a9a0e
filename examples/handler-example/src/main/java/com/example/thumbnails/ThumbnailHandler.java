package com.example.thumbnails;

import io.kdispatch.sdk.TaskContext;
import io.kdispatch.sdk.TaskHandler;
import java.nio.charset.StandardCharsets;

/**
 * Scales an image down to fit {@value #MAX_SIDE} pixels, keeping its aspect ratio. The payload is the source
 * size ({@code "1920x1080"}); the output is the thumbnail's ({@code "128x72"}). The work goes in bands of
 * {@value #BAND} rows; after each band it renews its lease (long images take a while) and stops if the worker
 * is stopping (the thread is interrupted).
 */
public final class ThumbnailHandler implements TaskHandler {
    /** The longest side of a thumbnail. */
    public static final int MAX_SIDE = 128;
    /** Rows per band of work. */
    public static final int BAND = 1_000;

    private final BandWork work;

    /** A handler doing the (simulated) work of one band with {@code work}. */
    public ThumbnailHandler(BandWork work) {
        this.work = work;
    }

    /** The work done for each band of rows; a real one would decode, filter and scale them. */
    @FunctionalInterface
    public interface BandWork {
        void scale(int fromRow, int toRow) throws InterruptedException;
    }

    @Override
    public byte[] handle(TaskContext ctx) throws Exception {
        String size = new String(ctx.payload(), StandardCharsets.UTF_8);
        String[] parts = size.split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("payload must be WIDTHxHEIGHT, was '" + size + "'");
        }
        int width = Integer.parseInt(parts[0].trim());
        int height = Integer.parseInt(parts[1].trim());
        for (int row = 0; row < height; row += BAND) {
            if (Thread.interrupted()) {
                throw new InterruptedException("stopped at row " + row + " of " + height);
            }
            work.scale(row, Math.min(height, row + BAND));
            if (row + BAND < height) {
                ctx.extendLease();
            }
        }
        double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(width, height));
        return (Math.max(1, Math.round(width * scale)) + "x" + Math.max(1, Math.round(height * scale)))
                .getBytes(StandardCharsets.UTF_8);
    }
}
