package io.kdispatch.dispatcher.routing;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable map from worker ID to the reason it was excluded, iterated in worker-ID order (so explain
 * output is stable). Backed by two sorted arrays: routing tables cache one per label signature and
 * decisions share it as long as no per-decision rule excluded anyone, so most decisions copy nothing.
 */
final class ReasonMap extends AbstractMap<String, String> {
    static final ReasonMap EMPTY = new ReasonMap(new String[0], new String[0]);

    private final String[] ids;
    private final String[] reasons;
    private final Set<Entry<String, String>> entries = new Entries();

    private ReasonMap(String[] ids, String[] reasons) {
        this.ids = ids;
        this.reasons = reasons;
    }

    /** {@code map} itself when it is already a ReasonMap, else a sorted immutable copy. */
    static ReasonMap copyOf(Map<String, String> map) {
        if (map instanceof ReasonMap reasonMap) {
            return reasonMap;
        }
        TreeMap<String, String> sorted = new TreeMap<>(map);
        return new ReasonMap(sorted.keySet().toArray(new String[0]), sorted.values().toArray(new String[0]));
    }

    /** This map plus {@code more} (worker IDs not already present). */
    ReasonMap plus(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        TreeMap<String, String> merged = new TreeMap<>(more);
        for (int i = 0; i < ids.length; i++) {
            merged.put(ids[i], reasons[i]);
        }
        return copyOf(merged);
    }

    @Override
    public int size() {
        return ids.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String && Arrays.binarySearch(ids, key) >= 0;
    }

    @Override
    public String get(Object key) {
        if (!(key instanceof String)) {
            return null;
        }
        int i = Arrays.binarySearch(ids, key);
        return i >= 0 ? reasons[i] : null;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return entries;
    }

    private final class Entries extends AbstractSet<Entry<String, String>> {
        @Override
        public int size() {
            return ids.length;
        }

        @Override
        public Iterator<Entry<String, String>> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < ids.length;
                }

                @Override
                public Entry<String, String> next() {
                    if (next >= ids.length) {
                        throw new NoSuchElementException();
                    }
                    int i = next++;
                    return new SimpleImmutableEntry<>(ids[i], reasons[i]);
                }
            };
        }
    }
}
