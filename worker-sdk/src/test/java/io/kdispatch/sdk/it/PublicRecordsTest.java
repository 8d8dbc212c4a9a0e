package io.kdispatch.sdk.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerStatus;
import io.kdispatch.schemas.testing.JsonSafeNumbers;
import io.kdispatch.schemas.testing.PublicTopicScan;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.sdk.Worker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every record the SDK writes to a public topic (tasks from the submit client; results, lease
 * extensions and heartbeats from a worker) keeps its numbers within what JSON and JavaScript hold
 * exactly, read back from the topics as a client without the generated classes reads them. Random
 * 63-bit incarnations broke this in nearly every heartbeat and result.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class PublicRecordsTest {

    @Test
    void everyRecordTheSdkWritesKeepsItsNumbersJsonSafe(EmbeddedKafka kafka, EmbeddedRegistry registry)
            throws Exception {
        Cluster cluster = new Cluster(kafka, registry);
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(cluster.topics.tasks(), Optional.of(1), Optional.empty())))
                    .all().get();
        }
        Worker worker = cluster.worker("public-1", ctx -> {
            if (ctx.taskId().equals("fails")) {
                throw new IllegalStateException("fails on purpose");
            }
            ctx.extendLease();
            return ctx.payload();
        }).build();
        try (worker; SubmitClient submit = SubmitClient.builder().bootstrapServers(cluster.bootstrap)
                     .serdeConfig(cluster.serde).topics(cluster.topics).build();
             TopicReader<TaskResult> results = cluster.results()) {
            submit.submit(Task.newBuilder().setId("submitted").setType("echo").setPriority(5)
                    .setDeadline(Instant.now().plusSeconds(3600)).setAffinityKey("k")
                    .setPayload(ByteBuffer.wrap(new byte[] {1, 2})).setHeaders(Map.of("trace", "t")).build()).get();
            worker.start();
            TaskAssignment ok = Cluster.assignment("public-1", "succeeds");
            TaskAssignment failing = Cluster.assignment("public-1", "fails");
            ok.setWorkerIncarnation(worker.incarnation());
            failing.setWorkerIncarnation(worker.incarnation());
            cluster.assign("public-1", ok, failing);
            results.awaitMatching(2, r -> r.getStatus() != ResultStatus.LEASE_EXTENSION);
            worker.close(); // for the DRAINING and LEAVING heartbeats
        }

        PublicTopicScan.Report report = PublicTopicScan.scan(cluster.bootstrap, cluster.serde,
                List.of(cluster.topics.tasks(), cluster.topics.results(), cluster.topics.heartbeats()));

        assertEquals(List.of(), report.violations(), "numbers beyond ±" + JsonSafeNumbers.MAX);
        assertEquals(List.of(), report.undecodable());
        assertEquals(1, report.count(Task.getClassSchema().getFullName()), report.records().toString());
        assertEquals(3, report.count(TaskResult.getClassSchema().getFullName()),
                "a SUCCEEDED and a FAILED result, and the lease extension before the first: " + report.records());
        try (TopicReader<WorkerHeartbeat> heartbeats = cluster.heartbeats()) {
            List<WorkerHeartbeat> beats = heartbeats.values();
            assertEquals(beats.size(), report.count(WorkerHeartbeat.getClassSchema().getFullName()));
            assertEquals(Set.of(WorkerStatus.READY, WorkerStatus.DRAINING, WorkerStatus.LEAVING),
                    beats.stream().map(WorkerHeartbeat::getStatus).collect(Collectors.toSet()));
            assertTrue(beats.stream().allMatch(b -> b.getIncarnation() == worker.incarnation()),
                    "the scan judged this worker's own incarnation " + worker.incarnation());
        }
    }
}
