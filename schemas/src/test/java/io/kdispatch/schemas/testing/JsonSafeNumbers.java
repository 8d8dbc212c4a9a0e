package io.kdispatch.schemas.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Walks an Avro datum through its schema (records, arrays, maps, unions) and reports every numeric
 * value that a JSON or JavaScript reader of the record would not hold exactly.
 *
 * <p>The bound is {@link #MAX}, 2^53 - 2: JavaScript numbers hold integers exactly up to 2^53 - 1,
 * and avsc, the Avro library behind Confluent's JavaScript deserializer, refuses a long beyond
 * ±(2^53 - 2) ("potential precision loss") and with it the whole record. {@code int}s always fit.
 * {@code double}s and {@code float}s are held to the same bound and must be finite: JSON has no NaN
 * or Infinity, and a magnitude beyond 2^53 in a field the product fills is an overflow or unit bug.
 *
 * <p>Values are judged as they are on the wire: logical types (timestamp-millis) as their
 * underlying longs. Pass a datum read with a plain {@link GenericData} (no conversions), or a
 * generated record to {@link #violations(IndexedRecord)}, which reads its binary form back that way.
 * Stateless and thread-safe.
 */
public final class JsonSafeNumbers {
    /** The largest magnitude allowed: 2^53 - 2, the largest long avsc decodes. */
    public static final long MAX = 9_007_199_254_740_990L;

    private JsonSafeNumbers() {
    }

    /**
     * Every out-of-bound value of {@code datum} (a generic representation of {@code schema}), as
     * {@code path = value} with the path from the schema's name, e.g.
     * {@code DeadLetter.attempts[0].at = 9007199254740991}; empty when all fit.
     */
    public static List<String> violations(Schema schema, Object datum) {
        List<String> found = new ArrayList<>();
        walk(schema, datum, schema.getName(), found);
        return found;
    }

    /** {@link #violations(Schema, Object)} of a record as any client reads it from its binary encoding. */
    public static List<String> violations(IndexedRecord record) {
        Schema schema = record.getSchema();
        return violations(schema, asOnTheWire(record));
    }

    /**
     * @throws AssertionError listing every violation, when there is one
     */
    public static void assertSafe(Schema schema, Object datum, String where) {
        List<String> found = violations(schema, datum);
        if (!found.isEmpty()) {
            throw new AssertionError(where + ": numbers JSON and JavaScript cannot hold exactly"
                    + " (|n| must be at most " + MAX + "): " + found);
        }
    }

    /** A generated record encoded with its own schema and read back with no logical-type conversions. */
    static Object asOnTheWire(IndexedRecord record) {
        Schema schema = record.getSchema();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new SpecificDatumWriter<IndexedRecord>(schema).write(record, encoder);
            encoder.flush();
            return new GenericDatumReader<>(schema, schema, new GenericData())
                    .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot re-read " + schema.getFullName(), e);
        }
    }

    private static void walk(Schema schema, Object value, String path, List<String> found) {
        switch (schema.getType()) {
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) value;
                for (Schema.Field field : schema.getFields()) {
                    walk(field.schema(), record.get(field.pos()), path + "." + field.name(), found);
                }
            }
            case ARRAY -> {
                int i = 0;
                for (Object element : (Collection<?>) value) {
                    walk(schema.getElementType(), element, path + "[" + i++ + "]", found);
                }
            }
            case MAP -> {
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    walk(schema.getValueType(), entry.getValue(), path + "[" + entry.getKey() + "]", found);
                }
            }
            case UNION -> {
                Schema branch = schema.getTypes().get(GenericData.get().resolveUnion(schema, value));
                walk(branch, value, path, found);
            }
            case LONG, INT -> check(((Number) value).longValue(), path, found);
            case DOUBLE, FLOAT -> check(((Number) value).doubleValue(), path, found);
            default -> {
                // strings, bytes, fixed, enums, booleans and nulls carry no number
            }
        }
    }

    private static void check(long value, String path, List<String> found) {
        if (value > MAX || value < -MAX) {
            found.add(path + " = " + value);
        }
    }

    private static void check(double value, String path, List<String> found) {
        if (!Double.isFinite(value) || Math.abs(value) > MAX) {
            found.add(path + " = " + value);
        }
    }
}
