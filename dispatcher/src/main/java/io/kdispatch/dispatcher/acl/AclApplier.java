package io.kdispatch.dispatcher.acl;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

/**
 * Creates ACL bindings through the Admin API and waits until the broker it talks to enforces them.
 * Creating a binding that exists already is a no-op, so applying the recipe twice is harmless.
 */
public final class AclApplier {
    private final Admin admin;
    private final Duration timeout;

    /** @param admin an admin client authenticated as a principal allowed to alter ACLs (a super user) */
    public AclApplier(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * Creates the bindings, then waits until the broker lists all of them: the controller has them when
     * {@code createAcls} returns, the broker's authorizer a moment later, and a client started in between
     * would be refused.
     *
     * @throws IllegalStateException when the cluster refuses the bindings or does not show them in time
     */
    public void apply(List<AclBinding> bindings) {
        long deadline = System.nanoTime() + timeout.toNanos();
        await(admin.createAcls(bindings).all(), "create " + bindings.size() + " ACL bindings");
        while (true) {
            Set<AclBinding> missing = new HashSet<>(bindings);
            missing.removeAll(await(admin.describeAcls(AclBindingFilter.ANY).values(), "describe the ACLs"));
            if (missing.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker does not show " + missing.size() + " of the new ACL "
                        + "bindings after " + timeout + ", e.g. " + missing.iterator().next());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not " + what + " within " + timeout, e);
        }
    }
}
