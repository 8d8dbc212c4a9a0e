package io.kdispatch.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * A {@link Decoder} over Avro binary that refuses any length or item count larger than the record it reads.
 *
 * <p>Why: Avro trusts the length prefixes it reads and allocates before it reads the data behind them. A
 * 16-byte record with a valid header and a bytes length of 10<sup>9</sup> made {@code BinaryDecoder}
 * allocate a 1 GB array (an {@code OutOfMemoryError} under a 512 MB heap, which no exception handler of
 * Kafka Streams catches), and an array count of 10<sup>9</sup> made the reader allocate an {@code Object[]}
 * of that size. A string, a byte sequence or a collection cannot have more bytes or items than the record
 * has bytes (every item of our schemas takes at least one byte), so such a prefix is corrupt: this decoder
 * fails with a {@link LengthException} before anything is allocated, and the deserializer reports the
 * record as malformed. Everything else is delegated to Avro's own decoder.
 *
 * <p>Not thread-safe, like the decoder it wraps; one per record.
 */
final class BoundedDecoder extends Decoder {
    private final Decoder in;
    private final long limit;

    /** The prefix read was larger than the record could hold. */
    static final class LengthException extends AvroRuntimeException {
        private static final long serialVersionUID = 1L;

        LengthException(String what, long value, long limit) {
            super(what + " of " + value + " in a body of " + limit + " bytes (a corrupt length prefix)");
        }
    }

    /** @param limit the body's size in bytes: no length or count read may exceed it */
    BoundedDecoder(Decoder in, long limit) {
        this.in = in;
        this.limit = limit;
    }

    private long checked(String what, long value) {
        if (value > limit || value < 0) {
            throw new LengthException(what, value, limit);
        }
        return value;
    }

    private int length(String what) throws IOException {
        return (int) checked(what, in.readLong());
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = length("string length");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        if (length > 0) {
            in.readFixed(result.getBytes(), 0, length);
        }
        return result;
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(length("string length"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = length("bytes length");
        ByteBuffer result = old != null && old.capacity() >= length ? old : ByteBuffer.allocate(length);
        result.clear();
        in.readFixed(result.array(), result.arrayOffset(), length);
        result.limit(length);
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(length("bytes length"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return checked("array block count", in.readArrayStart());
    }

    @Override
    public long arrayNext() throws IOException {
        return checked("array block count", in.arrayNext());
    }

    @Override
    public long skipArray() throws IOException {
        return checked("array block count", in.skipArray());
    }

    @Override
    public long readMapStart() throws IOException {
        return checked("map block count", in.readMapStart());
    }

    @Override
    public long mapNext() throws IOException {
        return checked("map block count", in.mapNext());
    }

    @Override
    public long skipMap() throws IOException {
        return checked("map block count", in.skipMap());
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}
