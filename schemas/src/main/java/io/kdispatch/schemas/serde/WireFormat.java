package io.kdispatch.schemas.serde;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The Confluent wire format: magic byte 0, the schema ID as a 4-byte big-endian int, then the Avro
 * binary encoding of the record.
 */
final class WireFormat {
    static final byte MAGIC_BYTE = 0;
    static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** The 5-byte header for {@code schemaId}. */
    static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC_BYTE).putInt(schemaId).array();
    }

    /**
     * Checks the header of {@code data} and returns its schema ID.
     *
     * @throws MalformedRecordException when the record is shorter than the header or the magic
     *     byte is not 0
     */
    static int schemaId(byte[] data, String topic) {
        if (data.length < HEADER_SIZE) {
            throw new MalformedRecordException(describe(data.length, topic)
                    + " is too short for the Confluent wire format: expected magic byte 0, a 4-byte schema ID"
                    + " and an Avro body (at least " + (HEADER_SIZE + 1) + " bytes)");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new MalformedRecordException(String.format("unknown magic byte 0x%02x: not Confluent wire format%s;"
                    + " %s", data[0] & 0xff, hint(data), describe(data.length, topic)));
        }
        return ByteBuffer.wrap(data, 1, 4).getInt();
    }

    static String describe(int length, String topic) {
        return "record of " + length + " bytes" + (topic == null ? "" : " from topic '" + topic + "'");
    }

    /** Guesses what the bytes are instead, so the user knows which producer to look at. */
    private static String hint(byte[] data) {
        switch (data[0]) {
            case '{':
            case '[':
                return " (is this plain JSON?)";
            default:
                break;
        }
        if (looksLikeText(data)) {
            int shown = Math.min(data.length, 40);
            return " (looks like text: \"" + new String(data, 0, shown, StandardCharsets.UTF_8)
                    + (data.length > shown ? "..." : "") + "\"; was it written with a string serializer?)";
        }
        return "";
    }

    private static boolean looksLikeText(byte[] data) {
        int checked = Math.min(data.length, 40);
        for (int i = 0; i < checked; i++) {
            int b = data[i] & 0xff;
            if ((b < 0x20 || b > 0x7e) && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
