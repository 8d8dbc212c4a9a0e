package io.kdispatch.dispatcher.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdispatch.dispatcher.admin.AdminServer;
import io.kdispatch.dispatcher.admin.ControlEndpoints;
import io.kdispatch.dispatcher.config.DispatcherConfig;
import io.kdispatch.dispatcher.control.ControlClient;
import io.kdispatch.dispatcher.control.ControlState;
import io.kdispatch.dispatcher.health.LivenessPolicy;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.topology.ControlView;
import io.kdispatch.dispatcher.topology.StoreNames;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerSighting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers the control endpoints from this instance's global stores ({@code control}, {@code worker-view})
 * through interactive queries: every instance holds the whole of both, so no forwarding is needed. Writes
 * go through a {@link ControlClient}, or are refused when there is none.
 */
final class ControlQueries implements ControlEndpoints.ControlApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaStreams streams;
    private final DispatcherConfig config;
    private volatile ControlClient client;
    private volatile String token;

    /** Writes stay refused until {@link #enableWrites}. */
    ControlQueries(KafkaStreams streams, DispatcherConfig config) {
        this.streams = streams;
        this.config = config;
    }

    /**
     * Accepts writes presenting {@code token} from now on.
     *
     * @throws IllegalArgumentException when the token is blank
     */
    synchronized void enableWrites(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the admin token must not be blank");
        }
        if (client == null) {
            client = new ControlClient(config.bootstrapServers(), config.serdes(), config.topics(),
                    config.clientOverrides());
        }
        this.token = token;
    }

    /** Closes the control producer, if writes were enabled. Idempotent. */
    synchronized void close() {
        token = null;
        if (client != null) {
            client.close();
        }
    }

    @Override
    public String writeToken() {
        return token;
    }

    @Override
    public AdminServer.Reply config() {
        ControlState state;
        try {
            state = new ControlView(store(StoreNames.CONTROL)).current();
        } catch (InvalidStateStoreException e) {
            return unavailable(e);
        }
        RoutingConfig r = state.routing(config.routing());
        Map<String, Object> routing = new LinkedHashMap<>();
        routing.put("strategy", r.strategy().label());
        routing.put("abStrategy", r.abStrategy() == null ? null : r.abStrategy().label());
        routing.put("abPercent", r.abPercent());
        routing.put("boundedLoadFactor", r.boundedLoadFactor());
        routing.put("prefetch", r.prefetch());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("routing", routing);
        m.put("breakerOverrides", state.breaker());
        m.put("cordoned", state.workers().entrySet().stream().filter(e -> state.cordoned(e.getKey()))
                .map(Map.Entry::getKey).toList());
        m.put("draining", state.workers().entrySet().stream().filter(e -> state.draining(e.getKey()))
                .map(Map.Entry::getKey).toList());
        m.put("pausedTaskTypes", state.pausedTaskTypes());
        m.put("flags", state.flags());
        m.put("overrides", state.settings());
        m.put("invalid", state.invalid());
        return new AdminServer.Reply(200, write(m));
    }

    @Override
    public AdminServer.Reply workers() {
        List<Map<String, Object>> workers = new ArrayList<>();
        try {
            ControlState control = new ControlView(store(StoreNames.CONTROL)).current();
            ReadOnlyKeyValueStore<String, WorkerSighting> view = store(StoreNames.WORKER_VIEW);
            long now = System.currentTimeMillis();
            try (KeyValueIterator<String, WorkerSighting> it = view.all()) {
                while (it.hasNext()) {
                    KeyValue<String, WorkerSighting> entry = it.next();
                    workers.add(worker(entry.value, control, now));
                }
            }
        } catch (InvalidStateStoreException e) {
            return unavailable(e);
        }
        workers.sort((a, b) -> a.get("workerId").toString().compareTo(b.get("workerId").toString()));
        return new AdminServer.Reply(200, write(Map.of("workers", workers)));
    }

    @Override
    public AdminServer.Reply write(String key, String value, String issuedBy) {
        ControlClient client = this.client;
        if (client == null) {
            return new AdminServer.Reply(403, write(Map.of("error", "writes are disabled on this instance")));
        }
        try {
            String stored = client.set(key, value, issuedBy);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", key);
            m.put("value", stored);
            return new AdminServer.Reply(200, write(m));
        } catch (IllegalArgumentException e) {
            return new AdminServer.Reply(400, write(Map.of("error", e.getMessage())));
        } catch (ControlClient.ControlWriteException e) {
            return new AdminServer.Reply(503, write(Map.of("error", e.getMessage())));
        }
    }

    private Map<String, Object> worker(WorkerSighting sighting, ControlState control, long now) {
        WorkerHeartbeat hb = sighting.getHeartbeat();
        long lastSeen = sighting.getReceivedAt().toEpochMilli();
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("workerId", hb.getWorkerId());
        w.put("status", hb.getStatus().name());
        w.put("liveness", config.liveness().judge(LivenessPolicy.Announced.valueOf(hb.getStatus().name()), lastSeen, now)
                .name());
        w.put("control", control.worker(hb.getWorkerId()).label());
        w.put("labels", hb.getLabels());
        w.put("capacity", hb.getCapacity());
        w.put("inFlight", hb.getInFlight());
        w.put("queued", hb.getQueued());
        w.put("lastSeenMsAgo", Math.max(0, now - lastSeen));
        w.put("incarnation", hb.getIncarnation());
        return w;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    private static AdminServer.Reply unavailable(InvalidStateStoreException e) {
        return new AdminServer.Reply(503, write(Map.of("error", "the dispatcher's stores are not queryable right now "
                + "(starting or rebalancing): " + e.getMessage())));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
