package io.kdispatch.dispatcher.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Why a task went where it went: asks any running dispatcher instance (it forwards to the owner). */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Show the latest routing decision for a task: candidates, the rule that excluded each other "
                + "worker, the strategy and the chosen worker (or why it waits). Exit status 1 when none is known.")
final class ExplainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TASK_ID")
    String taskId;

    @Option(names = "--admin-url", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
            description = "Admin endpoint of any dispatcher instance (default: ${DEFAULT-VALUE}).")
    String adminUrl;

    @Override
    public Integer call() throws IOException {
        String url = adminUrl.replaceAll("/+$", "") + "/tasks/"
                + URLEncoder.encode(taskId, StandardCharsets.UTF_8).replace("+", "%20");
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(10_000);
        int status;
        try {
            status = c.getResponseCode();
        } catch (IOException e) {
            System.err.println("error: no dispatcher answers at " + adminUrl + ": " + e.getMessage());
            return 1;
        }
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (status == 200) {
                System.out.println(body);
                return 0;
            }
            System.err.println("error: HTTP " + status + " " + body);
            return 1;
        }
    }
}
