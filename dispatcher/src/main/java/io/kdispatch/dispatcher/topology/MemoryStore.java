package io.kdispatch.dispatcher.topology;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A key-value store kept in a sorted map, with no changelog and no serialization: what the
 * {@link VirtualDispatcher} gives the real processors in place of Kafka Streams' stores. Iterators are
 * live views; like the callers' use of real stores, nothing writes while one is open. Not thread-safe.
 */
final class MemoryStore<K extends Comparable<K>, V> implements KeyValueStore<K, V> {
    private final String name;
    private final TreeMap<K, V> map = new TreeMap<>();

    MemoryStore(String name) {
        this.name = name;
    }

    @Override
    public V get(K key) {
        return map.get(key);
    }

    @Override
    public void put(K key, V value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        V old = map.get(key);
        if (old == null) {
            put(key, value);
        }
        return old;
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        entries.forEach(e -> put(e.key, e.value));
    }

    @Override
    public V delete(K key) {
        return map.remove(key);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        NavigableMap<K, V> view = map;
        if (from != null) {
            view = view.tailMap(from, true);
        }
        if (to != null) {
            view = view.headMap(to, true);
        }
        return new Entries<>(view.entrySet().iterator());
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return new Entries<>(map.entrySet().iterator());
    }

    @Override
    public long approximateNumEntries() {
        return map.size();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
    }

    @Override
    public void close() {
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    /** An iterator over map entries that can peek at the next key. */
    private static final class Entries<K, V> implements KeyValueIterator<K, V> {
        private final Iterator<Map.Entry<K, V>> it;
        private Map.Entry<K, V> next;

        Entries(Iterator<Map.Entry<K, V>> it) {
            this.it = it;
            this.next = it.hasNext() ? it.next() : null;
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public KeyValue<K, V> next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            KeyValue<K, V> out = KeyValue.pair(next.getKey(), next.getValue());
            next = it.hasNext() ? it.next() : null;
            return out;
        }

        @Override
        public K peekNextKey() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            return next.getKey();
        }

        @Override
        public void close() {
        }
    }
}
