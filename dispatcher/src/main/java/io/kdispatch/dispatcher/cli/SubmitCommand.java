package io.kdispatch.dispatcher.cli;

import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.schemas.Task;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Produces tasks from JSON lines. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Submit tasks from JSON lines (stdin by default). A bad line is reported with its number; "
                + "the rest still go. Exit status 1 when any line was refused.")
final class SubmitCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    WaitOption startup;

    @Mixin
    KafkaClientConfig clientConfig;

    @Option(names = "--file", paramLabel = "FILE", description = "Read JSON lines from FILE instead of stdin.")
    Path file;

    @Override
    public Integer call() throws Exception {
        int lineNo = 0;
        int refused = 0;
        List<CompletableFuture<?>> sent = new ArrayList<>();
        try (BufferedReader in = file == null
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(file);
             SubmitClient client = SubmitClient.builder().bootstrapServers(cluster.bootstrapServers)
                     .serdeConfig(cluster.serdes()).topics(cluster.topics())
                     .kafkaProperties(clientConfig.properties())
                     .startWaitTimeout(startup.timeout).build()) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Task task = TaskJson.parse(line);
                    sent.add(client.submit(task));
                } catch (RuntimeException e) {
                    refused++;
                    System.err.println("line " + lineNo + ": " + e.getMessage());
                }
            }
            client.flush();
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
        System.err.printf("submitted %d tasks, refused %d lines%n", sent.size(), refused);
        return refused == 0 ? 0 : 1;
    }
}
