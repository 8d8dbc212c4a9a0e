package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.routing.LabelRule;
import io.kdispatch.schemas.LabelRequirement;
import io.kdispatch.schemas.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Translates the wire {@link Task}'s label requirements into the routing core's plain rules. */
final class Requests {
    private Requests() {
    }

    /**
     * The task's hard label rules in a canonical order, so that tasks with the same requirements share
     * one routing table.
     */
    static List<LabelRule> rules(Task task) {
        List<LabelRule> rules = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(task.getRequiredLabels()).entrySet()) {
            rules.add(LabelRule.equalTo(e.getKey(), e.getValue()));
        }
        for (LabelRequirement r : task.getLabelRequirements()) {
            rules.add(new LabelRule(r.getKey(), LabelRule.Operator.valueOf(r.getOperator().name()),
                    Set.copyOf(r.getValues())));
        }
        if (rules.size() > 1) {
            rules.sort((a, b) -> a.toString().compareTo(b.toString()));
        }
        return rules;
    }
}
