package io.kdispatch.dispatcher.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdispatch.dispatcher.admin.AdminServer;
import io.kdispatch.dispatcher.topology.StoreNames;
import io.kdispatch.schemas.RoutingExplanation;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers "why did task X go where it went?" from the explanations table through Kafka Streams
 * interactive queries. Any instance can be asked: one that does not own the task's partition forwards
 * the question to the instance that does (found through {@code application.server}).
 */
public final class TaskQueries implements AdminServer.TaskLookup {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORWARD_TIMEOUT_MS = 5_000;

    private final KafkaStreams streams;
    private final HostInfo self;

    /**
     * @param self this instance's advertised admin address, or null when it advertises none
     */
    public TaskQueries(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    @Override
    public AdminServer.Reply lookup(String taskId, boolean localOnly) {
        KeyQueryMetadata owner;
        try {
            owner = streams.queryMetadataForKey(StoreNames.EXPLANATIONS, taskId, new StringSerializer());
        } catch (IllegalStateException e) {
            return unavailable("the dispatcher is not running: " + e.getMessage());
        }
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return unavailable("no instance currently owns the partition of task " + taskId + " (rebalancing?)");
        }
        HostInfo active = owner.activeHost();
        boolean remote = !localOnly && self != null && !active.equals(self) && active.port() > 0;
        return remote ? forward(active, taskId) : local(taskId, owner.partition());
    }

    private AdminServer.Reply local(String taskId, int partition) {
        try {
            ReadOnlyKeyValueStore<String, RoutingExplanation> store = streams.store(StoreQueryParameters
                    .fromNameAndType(StoreNames.EXPLANATIONS, QueryableStoreTypes.<String, RoutingExplanation>keyValueStore())
                    .withPartition(partition));
            RoutingExplanation e = store.get(taskId);
            if (e == null) {
                return new AdminServer.Reply(404, error("no routing decision recorded for task " + taskId));
            }
            return new AdminServer.Reply(200, render(e));
        } catch (InvalidStateStoreException e) {
            return unavailable("the explanations store is not queryable right now: " + e.getMessage());
        }
    }

    private AdminServer.Reply forward(HostInfo owner, String taskId) {
        String url = "http://" + owner.host() + ":" + owner.port() + "/tasks/"
                + URLEncoder.encode(taskId, StandardCharsets.UTF_8).replace("+", "%20") + "?local=true";
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(FORWARD_TIMEOUT_MS);
            c.setReadTimeout(FORWARD_TIMEOUT_MS);
            int status = c.getResponseCode();
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new AdminServer.Reply(status, body);
            }
        } catch (IOException e) {
            return new AdminServer.Reply(502, error("the instance owning task " + taskId + " at " + owner.host() + ":"
                    + owner.port() + " did not answer: " + e.getMessage()));
        }
    }

    /** The explanation as a JSON object. */
    public static String render(RoutingExplanation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("taskId", e.getTaskId());
        m.put("attempt", e.getAttempt());
        m.put("outcome", e.getOutcome().name());
        m.put("workerId", e.getWorkerId());
        m.put("rule", e.getRule());
        m.put("strategy", e.getStrategy());
        m.put("reason", e.getReason());
        m.put("candidates", e.getCandidates());
        m.put("candidateCount", e.getCandidateCount() < 0 ? e.getCandidates().size() : e.getCandidateCount());
        m.put("excluded", e.getExcluded());
        m.put("excludedCount", e.getExcludedCount() < 0 ? e.getExcluded().size() : e.getExcludedCount());
        m.put("routingKey", e.getRoutingKey());
        m.put("antiAffinityGroup", e.getAntiAffinityGroup());
        m.put("decidedAt", e.getDecidedAt().toString());
        m.put("dispatcherTask", e.getDispatcherTask());
        return write(m);
    }

    private static AdminServer.Reply unavailable(String message) {
        return new AdminServer.Reply(503, error(message));
    }

    private static String error(String message) {
        return write(Map.of("error", message));
    }

    private static String write(Map<String, ?> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
