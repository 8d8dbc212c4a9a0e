package io.kdispatch.dispatcher.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdispatch.dispatcher.acl.AclRule.Role;
import io.kdispatch.dispatcher.lag.LagReader;
import io.kdispatch.sdk.internal.KafkaSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** The recipe file parses, is what the jar packages, agrees with the SDK's names, and is what the docs show. */
class AclRecipeTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path RECIPE = ROOT.resolve("ops/acl").resolve(AclRecipe.FILE_NAME);

    @Test
    void theJarPackagesTheRecipeOfTheRepositoryUnchanged() throws IOException {
        try (InputStream packaged = AclRecipe.class.getResourceAsStream(AclRecipe.FILE_NAME)) {
            assertThat(packaged).isNotNull();
            assertThat(new String(packaged.readAllBytes())).isEqualTo(Files.readString(RECIPE));
        }
    }

    @Test
    void everyRoleHasRulesAndEveryRuleSaysWhy() {
        List<AclRule> rules = AclRecipe.load().rules();

        assertThat(rules).extracting(AclRule::role).contains(Role.DISPATCHER, Role.WORKER, Role.SUBMITTER);
        assertThat(rules).allSatisfy(r -> assertThat(r.why()).as("line %d", r.line()).isNotBlank());
    }

    @Test
    void workerRulesUseTheGroupTheSdkJoinsAndTheLagMonitorReads() {
        AclTargets targets = AclTargets.defaults(List.of("w1"));
        List<AclBinding> groups = AclRecipe.load().bindings(targets).stream()
                .filter(b -> b.entry().principal().equals("User:worker-w1"))
                .filter(b -> b.pattern().resourceType() == ResourceType.GROUP).toList();

        assertThat(groups).extracting(b -> b.pattern().name()).containsOnly(KafkaSettings.groupId("w1"));
        assertThat(KafkaSettings.groupId("w1")).isEqualTo(LagReader.workerGroup("w1"));
    }

    @Test
    void bindingsResolveNamesPerWorkerAndOneBindingPerOperation() {
        AclTargets targets = new AclTargets("acme", "acme-dispatcher", "User:d", "User:s", "User:wk-{worker}",
                List.of("a", "b"));
        List<AclBinding> bindings = AclRecipe.load().bindings(targets);

        assertThat(bindings).anySatisfy(b -> {
            assertThat(b.entry().principal()).isEqualTo("User:wk-b");
            assertThat(b.pattern().name()).isEqualTo("acme.worker.b");
            assertThat(b.entry().operation()).isEqualTo(AclOperation.READ);
        });
        assertThat(bindings).anySatisfy(b -> {
            assertThat(b.entry().principal()).isEqualTo("User:d");
            assertThat(b.pattern().resourceType()).isEqualTo(ResourceType.TRANSACTIONAL_ID);
            assertThat(b.pattern().patternType()).isEqualTo(PatternType.PREFIXED);
            assertThat(b.pattern().name()).isEqualTo("acme-dispatcher-");
        });
        assertThat(bindings).noneSatisfy(b -> assertThat(b.pattern().name()).contains("{"));
        assertThat(bindings).filteredOn(b -> b.entry().principal().equals("User:wk-a"))
                .noneSatisfy(b -> assertThat(b.pattern().name()).contains(".worker.b"));
    }

    @Test
    void theReadmeShowsTheCommandsTheRecipeRendersForItsExample() throws IOException {
        String readme = Files.readString(ROOT.resolve("ops/acl/README.md"));
        Matcher m = Pattern.compile("<!-- acls --worker w1 -->\\s*```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("ops/acl/README.md holds the output of `acls --worker w1`").isTrue();

        List<String> rendered = KafkaAclsScript.render(AclRecipe.load(), AclTargets.defaults(List.of("w1")));
        String expected = String.join("\n", rendered) + "\n";
        assertThat(m.group(1)).as("regenerate with: java -jar dispatcher/target/dispatcher.jar acls --worker w1")
                .isEqualTo(expected);
    }

    @Test
    void aBadLineIsRefusedWithItsNumberAndTheReason() {
        assertThatThrownBy(() -> AclRecipe.parse("# fine\nworker topic literal x Reed # typo"))
                .hasMessageContaining("line 2").hasMessageContaining("unknown operation 'Reed'");
        assertThatThrownBy(() -> AclRecipe.parse("dispatcher topic literal {prefix}.worker.{worker} Read"))
                .hasMessageContaining("line 1").hasMessageContaining("unknown placeholder {worker}");
        assertThatThrownBy(() -> AclRecipe.parse("operator topic literal x Read"))
                .hasMessageContaining("unknown role 'operator'");
        assertThatThrownBy(() -> AclRecipe.parse("worker cluster literal kafka-cluster Describe"))
                .hasMessageContaining("unknown resource 'cluster'");
        assertThatThrownBy(() -> AclRecipe.parse("worker topic literal x"))
                .hasMessageContaining("expected ROLE RESOURCE PATTERN NAME OPERATIONS");
    }

    @Test
    void aWorkerPrincipalSharedByAllWorkersOrAMalformedPrincipalIsRefused() {
        assertThatThrownBy(() -> new AclTargets("p", "a", "User:d", "User:s", "User:workers", List.of()))
                .hasMessageContaining("must contain {worker}");
        assertThatThrownBy(() -> new AclTargets("p", "a", "dispatcher", "User:s", "User:w-{worker}", List.of()))
                .hasMessageContaining("must look like User:name");
        assertThatThrownBy(() -> AclTargets.defaults(List.of("../w1"))).hasMessageContaining("worker ID");
    }
}
