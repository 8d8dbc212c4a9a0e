package io.kdispatch.benchmarks.profile;

import java.util.List;
import java.util.Locale;

/**
 * The rules that charge a sample to one place. Threads that are not the application's own work (the
 * garbage collector, the JIT compiler, the VM thread) are places of their own. Otherwise the stack is
 * walked from the leaf towards the root and the first frame that matches a rule decides: so time in
 * a HashMap called by the router is the router's, and time in Avro called by anyone is Avro's.
 */
final class Places {
    private record Rule(String place, List<String> fragments) {
        boolean matches(String frame) {
            for (String fragment : fragments) {
                if (frame.contains(fragment)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Checked in this order at each frame; the first match names the place. */
    private static final List<Rule> RULES = List.of(
            new Rule("RocksDB (state stores: JNI and native)", List.of("rocksdb", "RocksDB")),
            new Rule("Avro encoding and decoding", List.of("org/apache/avro/", "org.apache.avro.")),
            new Rule("registry serde (wire format, schema cache)", List.of("io/kdispatch/schemas/serde/",
                    "io.kdispatch.schemas.serde.")),
            new Rule("Micrometer metrics", List.of("io/micrometer/", "io.micrometer.")),
            new Rule("logging", List.of("org/apache/logging/", "org/slf4j/", "org.apache.logging.", "org.slf4j.")),
            new Rule("Kafka record batches (encoding, CRC, compression)", List.of("org/apache/kafka/common/record/",
                    "org/apache/kafka/common/compress/", "CRC32C", "org.apache.kafka.common.record.")),
            new Rule("routing decision (routing package)", List.of("io/kdispatch/dispatcher/routing/",
                    "io.kdispatch.dispatcher.routing.")),
            new Rule("Kafka producer (send, batching, metadata)", List.of("org/apache/kafka/clients/producer/",
                    "org.apache.kafka.clients.producer.")),
            new Rule("Kafka consumer (poll, fetch, deserialization)", List.of("org/apache/kafka/clients/consumer/",
                    "org.apache.kafka.clients.consumer.")),
            new Rule("network I/O (Kafka selector, NIO)", List.of("org/apache/kafka/common/network/", "sun/nio/ch/",
                    "org.apache.kafka.common.network.", "sun.nio.ch.")),
            new Rule("Kafka Streams runtime (task loop, commit, stores)", List.of("org/apache/kafka/streams/",
                    "org.apache.kafka.streams.")),
            new Rule("Kafka client internals", List.of("org/apache/kafka/", "org.apache.kafka.")));

    private Places() {
    }

    /** The place a sample with these frames (root first, thread first) is charged to. */
    static String of(String[] frames) {
        String group = threadGroup(frames);
        if (!group.equals("stream threads") && !group.equals("other application threads")
                && !group.equals("Kafka client I/O threads") && !group.equals("worker task threads")) {
            return group;
        }
        for (int i = frames.length - 1; i >= 0; i--) {
            String frame = frames[i];
            if (isProduct(frame) && !frame.contains("/routing/") && !frame.contains(".routing.")
                    && !frame.contains("/schemas/serde/") && !frame.contains(".schemas.serde.")) {
                return "dispatcher code: " + method(frame);
            }
            for (Rule rule : RULES) {
                if (rule.matches(frame)) {
                    return rule.place();
                }
            }
        }
        return "JVM and JDK, outside any rule (" + group + ")";
    }

    /** The kind of thread a sample ran on, from the thread frame async-profiler puts first. */
    static String threadGroup(String[] frames) {
        String thread = frames.length > 0 && frames[0].startsWith("[") ? frames[0].toLowerCase(Locale.ROOT) : "";
        if (thread.contains("gc thread") || thread.contains("g1 ") || thread.contains("gc ")) {
            return "garbage collection";
        }
        if (thread.contains("compilerthre")) { // Linux truncates thread names to 15 characters
            return "JIT compiler";
        }
        if (thread.contains("vm thread") || thread.contains("vm periodic")) {
            return "JVM (VM thread: safepoints, VM operations)";
        }
        if (thread.contains("streamthread")) {
            return "stream threads";
        }
        if (thread.contains("kdispatch-task") || thread.contains("-task-")) {
            return "worker task threads";
        }
        if (thread.contains("network-thread") || thread.contains("kafka-producer") || thread.contains("admin")) {
            return "Kafka client I/O threads";
        }
        return "other application threads";
    }

    static boolean isProduct(String frame) {
        return frame.contains("io/kdispatch/") || frame.contains("io.kdispatch.");
    }

    /** {@code io/kdispatch/dispatcher/topology/DispatchProcessor.tick} as {@code DispatchProcessor.tick}. */
    static String method(String frame) {
        String f = frame.replace('/', '.');
        int paren = f.indexOf('(');
        if (paren > 0) {
            f = f.substring(0, paren);
        }
        int lastDot = f.lastIndexOf('.');
        int classDot = lastDot > 0 ? f.lastIndexOf('.', lastDot - 1) : -1;
        return classDot >= 0 ? f.substring(classDot + 1) : f;
    }
}
