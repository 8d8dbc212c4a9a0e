package io.kdispatch.dispatcher.routing;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import java.util.Set;

/**
 * The candidates and exclusions a decision records when a per-decision rule took workers out: the first
 * {@link RoutingDecision#DETAIL_LIMIT} of each in worker-ID order, snapshotted when the decision is made
 * (kind of rule, load and limit), with the reason texts built only when someone reads them (explain). So a
 * decision costs the same with 10 workers or 10,000; the decision's counts say how many there were in all.
 * A decision without per-decision exclusions shares its routing table's complete lists instead.
 */
final class Heads {
    static final byte IN_POOL = 0;
    static final byte STATIC = 1;
    static final byte FULL = 2;
    static final byte OCCUPIED = 3;
    static final byte AVOIDED = 4;
    /** A pool member (or avoided worker) of a task that waits for its key's worker. */
    static final byte BELONGS = 5;
    private static final int NO_MORE = Integer.MAX_VALUE;

    private Heads() {
    }

    /** The first eligible workers of {@code f}'s pool, in ID order. */
    static List<String> candidates(Filtered f) {
        int[] kept = new int[Math.min(RoutingDecision.DETAIL_LIMIT, f.pool().size())];
        int n = 0;
        for (int index : f.table().candidates()) {
            if (n == kept.length) {
                break;
            }
            if (f.pool().contains(index)) {
                kept[n++] = index;
            }
        }
        return new IdList(f.fleet().ids, kept);
    }

    /** The first excluded workers of an assignment: static, full, and dropped by the request, merged by ID. */
    static Map<String, String> excluded(Filtered f) {
        Snapshot head = new Snapshot(f, null, Math.min(RoutingDecision.DETAIL_LIMIT, f.excludedCount()));
        int[] others = f.table().others();
        int[] dropped = f.dropped().clone();
        Arrays.sort(dropped);
        int nextStatic = 0;
        int nextDropped = 0;
        int nextFull = nextFullCandidate(f, 0);
        while (head.size < head.indexes.length) {
            int s = nextStatic < others.length ? others[nextStatic] : NO_MORE;
            int d = nextDropped < dropped.length ? dropped[nextDropped] : NO_MORE;
            int full = nextFull < 0 ? NO_MORE : nextFull;
            int index = Math.min(s, Math.min(d, full));
            if (index == NO_MORE) {
                break;
            }
            head.add(f.board(), index, f.kindOf(index));
            if (index == s) {
                nextStatic++;
            } else if (index == d) {
                nextDropped++;
            } else {
                nextFull = nextFullCandidate(f, index + 1);
            }
        }
        return head;
    }

    /** Every worker is excluded (a parked task): the first ones, pool members given {@code belongs}. */
    static Map<String, String> everyone(Filtered f, String belongs) {
        Snapshot head = new Snapshot(f, belongs, Math.min(RoutingDecision.DETAIL_LIMIT, f.fleet().size()));
        for (int index = 0; index < head.indexes.length; index++) {
            byte kind = f.kindOf(index);
            head.add(f.board(), index, kind == IN_POOL || kind == AVOIDED ? BELONGS : kind);
        }
        return head;
    }

    private static int nextFullCandidate(Filtered f, int from) {
        if (!f.fullness() || f.load().fullCount == 0) {
            return -1;
        }
        int index = f.board().nextFull(from);
        while (index >= 0 && f.table().positions()[index] < 0) {
            index = f.board().nextFull(index + 1);
        }
        return index;
    }

    static String reason(Fleet fleet, RoutingTable table, String group, int index, byte kind, int load, int limit,
                         String belongs) {
        return switch (kind) {
            case STATIC -> table.excluded().get(fleet.ids[index]);
            case FULL -> Eligibility.fullReason(load, fleet.capacities[index], limit);
            case OCCUPIED -> Eligibility.occupiedReason(group);
            case AVOIDED -> Eligibility.AVOIDED;
            case BELONGS -> belongs;
            default -> throw new IllegalStateException("worker " + fleet.ids[index] + " is not excluded");
        };
    }

    /** Worker IDs at fleet indexes, in index (= ID) order; immutable. */
    static final class IdList extends AbstractList<String> implements RandomAccess {
        private final String[] ids;
        private final int[] indexes;

        IdList(String[] ids, int[] indexes) {
            this.ids = ids;
            this.indexes = indexes;
        }

        @Override
        public String get(int i) {
            return ids[indexes[i]];
        }

        @Override
        public int size() {
            return indexes.length;
        }
    }

    /** Excluded workers as of the decision, in ID order; reasons rendered on read; immutable once built. */
    static final class Snapshot extends AbstractMap<String, String> {
        private final Fleet fleet;
        private final RoutingTable table;
        private final String group;
        private final String belongs;
        private final int[] indexes;
        private final byte[] kinds;
        private final int[] loads;
        private final int[] limits;
        private int size;

        private Snapshot(Filtered f, String belongs, int capacity) {
            this.fleet = f.fleet();
            this.table = f.table();
            this.group = f.group();
            this.belongs = belongs;
            this.indexes = new int[capacity];
            this.kinds = new byte[capacity];
            this.loads = new int[capacity];
            this.limits = new int[capacity];
        }

        private void add(LoadBoard board, int index, byte kind) {
            indexes[size] = index;
            kinds[size] = kind;
            loads[size] = board.load(index);
            limits[size] = board.limit(index);
            size++;
        }

        private String reasonAt(int at) {
            return reason(fleet, table, group, indexes[at], kinds[at], loads[at], limits[at], belongs);
        }

        private int find(Object key) {
            int index = key instanceof String id ? fleet.indexOf(id) : -1;
            return index < 0 ? -1 : Arrays.binarySearch(indexes, 0, size, index);
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public boolean containsKey(Object key) {
            return find(key) >= 0;
        }

        @Override
        public String get(Object key) {
            int at = find(key);
            return at < 0 ? null : reasonAt(at);
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return size;
                }

                @Override
                public Iterator<Entry<String, String>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < size;
                        }

                        @Override
                        public Entry<String, String> next() {
                            if (next >= size) {
                                throw new NoSuchElementException();
                            }
                            int at = next++;
                            return new SimpleImmutableEntry<>(fleet.ids[indexes[at]], reasonAt(at));
                        }
                    };
                }
            };
        }
    }
}
