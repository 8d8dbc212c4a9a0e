package io.kdispatch.dispatcher.cli;

import io.kdispatch.dispatcher.control.ControlClient;
import io.kdispatch.dispatcher.control.ControlKeys;
import io.kdispatch.dispatcher.control.ControlState;
import io.kdispatch.dispatcher.control.TopicSnapshot;
import io.kdispatch.dispatcher.control.WorkerControl;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.serde.AvroSerdes;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Cordons, drains and lists workers through the control topic. */
@Command(name = "workers", mixinStandardHelpOptions = true,
        description = "List workers, or take one out of routing: cordon (no new tasks), drain (no new tasks, it is "
                + "about to leave), uncordon (back to normal). Every running dispatcher applies it on its next "
                + "decision.",
        subcommands = {WorkersCommand.List.class, WorkersCommand.Cordon.class, WorkersCommand.Uncordon.class,
                WorkersCommand.Drain.class})
final class WorkersCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: missing subcommand: list, cordon, uncordon or drain "
                + "(see 'dispatcher workers --help')");
        return CommandLine.ExitCode.USAGE;
    }

    /** Writes {@code worker.<id>.state}; shared by cordon, uncordon and drain. */
    abstract static class StateChange implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Parameters(index = "0", paramLabel = "WORKER_ID")
        String workerId;

        @Option(names = "--by", paramLabel = "NAME", defaultValue = "${sys:user.name}",
                description = "Who is asking, for the dispatchers' change log (default: ${DEFAULT-VALUE}).")
        String by;

        @Spec
        CommandLine.Model.CommandSpec spec;

        /** The new state, or null for the default (active). */
        abstract WorkerControl target();

        @Override
        public Integer call() {
            String key = ControlKeys.workerState(workerId);
            WorkerControl target = target();
            try (ControlClient client = new ControlClient(cluster.bootstrapServers, cluster.serdes(), cluster.topics())) {
                client.set(key, target == null ? null : target.label(), by);
            }
            spec.commandLine().getOut().println("worker " + workerId + " is now "
                    + (target == null ? WorkerControl.ACTIVE : target).label());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "cordon", mixinStandardHelpOptions = true,
            description = "Give WORKER_ID no new tasks; it keeps and finishes what it has.")
    static final class Cordon extends StateChange {
        @Override
        WorkerControl target() {
            return WorkerControl.CORDONED;
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = "Give WORKER_ID no new tasks because it is about to leave (rolling update).")
    static final class Drain extends StateChange {
        @Override
        WorkerControl target() {
            return WorkerControl.DRAINING;
        }
    }

    @Command(name = "uncordon", mixinStandardHelpOptions = true,
            description = "Undo cordon or drain: WORKER_ID gets tasks again.")
    static final class Uncordon extends StateChange {
        @Override
        WorkerControl target() {
            return null;
        }
    }

    /** A table of the latest heartbeat per worker and its control state. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print every worker's latest heartbeat (status, capacity, load, age, labels) and its "
                    + "control state, read from the heartbeat and control topics.")
    static final class List implements Callable<Integer> {
        private static final String ROW = "%-20s %-9s %-9s %8s %9s %7s %10s  %s%n";

        @Mixin
        ClusterOptions cluster;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ControlState control;
            try (ControlClient client = new ControlClient(cluster.bootstrapServers, cluster.serdes(), cluster.topics())) {
                control = ControlState.of(client.settings());
            }
            Map<String, ConsumerRecord<String, WorkerHeartbeat>> beats = new TreeMap<>(TopicSnapshot.read(
                    cluster.bootstrapServers, cluster.topics().heartbeats(),
                    AvroSerdes.serde(WorkerHeartbeat.class, cluster.serdes()).deserializer(),
                    ControlClient.DEFAULT_TIMEOUT));
            PrintWriter out = spec.commandLine().getOut();
            out.printf(ROW, "WORKER", "STATUS", "CONTROL", "CAPACITY", "IN-FLIGHT", "QUEUED", "LAST-SEEN", "LABELS");
            long now = System.currentTimeMillis();
            beats.forEach((id, r) -> {
                WorkerHeartbeat hb = r.value();
                out.printf(ROW, id, hb.getStatus(), control.worker(id).label(), hb.getCapacity(), hb.getInFlight(),
                        hb.getQueued(), age(now - r.timestamp()), hb.getLabels());
            });
            control.workers().forEach((id, state) -> {
                if (!beats.containsKey(id)) {
                    out.printf(ROW, id, "-", state.label(), "-", "-", "-", "never", "{}");
                }
            });
            out.flush();
            return 0;
        }

        private static String age(long ms) {
            Duration d = Duration.ofMillis(Math.max(0, ms));
            return d.toSeconds() < 120 ? d.toMillis() / 1000.0 + "s ago" : d.toMinutes() + "m ago";
        }
    }
}
