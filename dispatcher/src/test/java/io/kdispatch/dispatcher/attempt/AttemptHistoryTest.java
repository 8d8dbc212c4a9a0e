package io.kdispatch.dispatcher.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.routing.RoutingDecision;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Long random histories through the attempt lifecycle (tasks, results, stale and duplicate results,
 * lease extensions, worker deaths and restarts, clock jumps), checking its invariants after every step.
 * On failure the message holds the seed and the last events, so the story can be replayed.
 */
class AttemptHistoryTest {
    private static final AttemptPolicy POLICY = new AttemptPolicy(Duration.ofSeconds(30), Duration.ofMillis(200),
            Duration.ofSeconds(5), 3);

    @Property(tries = 300)
    void invariantsHoldAfterEveryStep(@ForAll long seed) {
        new World(seed).run(400);
    }

    /** The simulated dispatcher state and fleet, driven by one seeded random source. */
    private static final class World implements Placement {
        final long seed;
        final Random random;
        final AttemptMachine machine = new AttemptMachine(POLICY);
        final Map<String, Attempt> live = new HashMap<>();
        final Set<String> done = new HashSet<>();
        final Set<String> dead = new HashSet<>();
        final Set<String> submitted = new HashSet<>();
        final Set<String> sent = new HashSet<>();
        final Map<String, Integer> lastNumber = new HashMap<>();
        final Map<String, Long> incarnations = new HashMap<>();
        final Set<String> alive = new HashSet<>();
        final List<Attempt> everSent = new ArrayList<>();
        final Deque<String> story = new ArrayDeque<>();
        long now = 1_000_000;
        int nextTask;

        World(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            for (int i = 1; i <= 4; i++) {
                incarnations.put("w" + i, 1L);
                alive.add("w" + i);
            }
        }

        void run(int steps) {
            for (int i = 0; i < steps; i++) {
                step();
                check();
            }
        }

        private void step() {
            int dice = random.nextInt(100);
            if (dice < 25) {
                submit();
            } else if (dice < 55) {
                report();
            } else if (dice < 60) {
                staleReport();
            } else if (dice < 65) {
                extend();
            } else if (dice < 70) {
                kill();
            } else if (dice < 75) {
                restart();
            } else if (dice < 80) {
                now += random.nextInt(2) == 0 ? 50 : POLICY.lease().toMillis(); // a clock jump
                log("clock +" + (now % 100_000));
            } else {
                tick();
            }
        }

        private void submit() {
            boolean again = !live.isEmpty() && random.nextInt(10) == 0;
            String id = again ? pick(live.keySet()) : "t-" + nextTask++;
            long deadline = random.nextInt(8) == 0 ? now + random.nextInt(2_000) : TaskFacts.NO_DEADLINE;
            TaskFacts task = new TaskFacts(id, "echo", random.nextInt(3), 1 + random.nextInt(3), deadline, null, null,
                    now, List.of(), null, "default");
            submitted.add(id);
            log("submit " + id + (again ? " (again)" : ""));
            apply(id, machine.submitted(task, live.get(id), this, now));
        }

        private void report() {
            Attempt a = assignedOne();
            if (a == null) {
                return;
            }
            ResultFacts.Status status = ResultFacts.Status.values()[random.nextInt(3)];
            log("result " + a.taskId() + "#" + a.number() + " " + status);
            apply(a.taskId(), machine.reported(a, new ResultFacts(a.taskId(), a.workerId(), a.incarnation(),
                    a.number(), status, null, 3), this, now));
        }

        private void staleReport() {
            if (everSent.isEmpty()) {
                return;
            }
            Attempt old = everSent.get(random.nextInt(everSent.size()));
            log("late result " + old.taskId() + "#" + old.number());
            Attempt current = live.get(old.taskId());
            Step step = machine.reported(current, new ResultFacts(old.taskId(), old.workerId(), old.incarnation(),
                    old.number(), ResultFacts.Status.SUCCEEDED, null, 1), this, now);
            boolean isCurrent = current != null && current.state() == AttemptState.ASSIGNED
                    && current.number() == old.number() && current.workerId().equals(old.workerId())
                    && current.incarnation() == old.incarnation();
            if (!isCurrent) {
                require(step.effects().size() == 1 && step.effects().get(0) instanceof Effect.Ignore,
                        "a stale result must only be ignored: " + step.effects());
                require(step.next() == current, "a stale result must change nothing");
            }
            apply(old.taskId(), step);
        }

        private void extend() {
            Attempt a = assignedOne();
            if (a != null) {
                log("extend " + a.taskId() + "#" + a.number());
                Step step = machine.extended(a, a.workerId(), a.incarnation(), a.number(), now);
                require(step.next().leaseDeadlineMs() == now + POLICY.lease().toMillis(), "extension renews the lease");
                apply(a.taskId(), step);
            }
        }

        private void kill() {
            String w = pick(alive);
            if (w != null && alive.size() > 1) {
                alive.remove(w);
                log("kill " + w);
                loseAll(w, LossCause.WORKER_LOST);
            }
        }

        private void restart() {
            String w = pick(incarnations.keySet());
            incarnations.merge(w, 1L, Long::sum);
            alive.add(w);
            log("restart " + w + " as incarnation " + incarnations.get(w));
            loseAll(w, LossCause.NEW_INCARNATION);
        }

        private void tick() {
            log("tick");
            for (Attempt a : new ArrayList<>(live.values())) {
                if (a.state() == AttemptState.ASSIGNED && a.leaseDeadlineMs() <= now) {
                    apply(a.taskId(), machine.lost(a, LossCause.LEASE_EXPIRED, this, now));
                }
            }
            for (Attempt a : new ArrayList<>(live.values())) {
                if (a.state().isWaiting()) {
                    apply(a.taskId(), machine.release(a, this, now));
                }
            }
        }

        private void loseAll(String worker, LossCause cause) {
            for (Attempt a : new ArrayList<>(live.values())) {
                if (a.state() == AttemptState.ASSIGNED && a.workerId().equals(worker)
                        && (cause == LossCause.WORKER_LOST || a.incarnation() != incarnations.get(worker))) {
                    apply(a.taskId(), machine.lost(a, cause, this, now));
                }
            }
        }

        /** Applies a step as the adapter would, checking it is consistent with its effects. */
        private void apply(String taskId, Step step) {
            int sends = 0;
            for (Effect e : step.effects()) {
                if (e instanceof Effect.Send s) {
                    sends++;
                    String key = taskId + "#" + s.attempt().number();
                    require(sent.add(key), "attempt " + key + " dispatched twice");
                    require(alive.contains(s.attempt().workerId()), "sent to dead worker " + s.attempt().workerId());
                    require(s.attempt().incarnation() == incarnations.get(s.attempt().workerId()),
                            "sent with a stale incarnation");
                    everSent.add(s.attempt());
                } else if (e instanceof Effect.Finish) {
                    require(step.next() == null, "a finished task must be forgotten");
                    done.add(taskId);
                } else if (e instanceof Effect.DeadLetter) {
                    require(step.next() == null, "a dead-lettered task must be forgotten");
                    dead.add(taskId);
                }
            }
            require(sends <= 1, "one step sends at most one attempt");
            if (step.next() == null) {
                live.remove(taskId);
            } else {
                Attempt next = step.next();
                require(next.state().isLive(), "stored attempt in state " + next.state());
                require(sends == 0 || next.state() == AttemptState.ASSIGNED, "a sent attempt is ASSIGNED");
                live.put(taskId, next);
                done.remove(taskId);
                dead.remove(taskId);
            }
        }

        private void check() {
            for (String id : submitted) {
                int places = (live.containsKey(id) ? 1 : 0) + (done.contains(id) ? 1 : 0) + (dead.contains(id) ? 1 : 0);
                require(places == 1, "task " + id + " is in " + places + " places (lost or duplicated)");
            }
            for (Attempt a : live.values()) {
                Integer last = lastNumber.put(a.taskId(), a.number());
                require(last == null || a.number() >= last, "attempt numbers of " + a.taskId() + " went back");
                require(a.failures() < a.task().maxAttempts(), "live with failures >= maxAttempts: " + a);
                require(a.losses() < POLICY.poisonMaxLosses(), "live with losses >= poison cap: " + a);
                if (a.state() == AttemptState.ASSIGNED) {
                    require(a.leaseDeadlineMs() > a.assignedAtMs(), "lease must end after it began");
                }
            }
        }

        @Override
        public RoutingDecision decide(Attempt attempt, String stickyWorker) {
            List<String> candidates = new ArrayList<>(alive);
            candidates.sort(String::compareTo);
            if (candidates.size() > 1) {
                candidates.remove(attempt.avoidWorker());
            }
            if (candidates.isEmpty() || random.nextInt(6) == 0) {
                return new RoutingDecision.Parked("no room", Map.of());
            }
            String w = stickyWorker != null && alive.contains(stickyWorker) ? stickyWorker
                    : candidates.get(random.nextInt(candidates.size()));
            return new RoutingDecision.Assigned(w, "random", "random", candidates, Map.of(), null);
        }

        @Override
        public long incarnation(String workerId) {
            return incarnations.get(workerId);
        }

        private Attempt assignedOne() {
            List<Attempt> assigned = live.values().stream().filter(a -> a.state() == AttemptState.ASSIGNED)
                    .sorted((x, y) -> x.taskId().compareTo(y.taskId())).toList();
            return assigned.isEmpty() ? null : assigned.get(random.nextInt(assigned.size()));
        }

        private String pick(Set<String> from) {
            List<String> sorted = from.stream().sorted().toList();
            return sorted.isEmpty() ? null : sorted.get(random.nextInt(sorted.size()));
        }

        private void log(String event) {
            story.addLast("t=" + now + " " + event);
            if (story.size() > 40) {
                story.removeFirst();
            }
        }

        private void require(boolean ok, String what) {
            assertThat(ok).as("seed %d: %s%nlast events:%n  %s", seed, what, String.join("\n  ", story)).isTrue();
        }
    }
}
