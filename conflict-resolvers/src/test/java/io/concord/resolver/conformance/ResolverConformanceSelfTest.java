package io.concord.resolver.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.resolver.ConfiguredResolver;
import io.concord.resolver.ConflictContext;
import io.concord.resolver.ConflictResolver;
import io.concord.resolver.Resolution;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;

/** The kit catches resolvers that break each law: a kit that passes everything would prove nothing. */
class ResolverConformanceSelfTest {

    /** Runs the kit against {@code resolver}. */
    private static final class Kit extends ResolverConformance {
        private final ConflictResolver resolver;

        Kit(ConflictResolver resolver) {
            this.resolver = resolver;
        }

        @Override
        protected ConfiguredResolver resolver() {
            return ConfiguredResolver.of("under-test", resolver);
        }
    }

    private static <T> boolean failsForSome(Arbitrary<T> inputs, Consumer<T> property) {
        return inputs.sampleStream().limit(300).anyMatch(input -> {
            try {
                property.accept(input);
                return false;
            } catch (AssertionError expected) {
                return true;
            }
        });
    }

    @Example
    void catchesAResolverThatAlwaysKeepsTheLocalSide() {
        Kit kit = new Kit(Resolution::keepLocal);
        assertThat(failsForSome(kit.forks(), kit::isCommutative)).isTrue();
    }

    @Example
    void catchesAResolverThatIsCommutativeButNotAssociative() {
        // Rock-paper-scissors between DCs a, b and c: a beats b, b beats c, c beats a.
        List<String> beats = List.of("ab", "bc", "ca");
        Kit kit = new Kit(context -> {
            String pair = context.local().version().dc().value() + context.remote().version().dc().value();
            boolean localWins = beats.contains(pair) || pair.charAt(0) == pair.charAt(1) && !context.remoteIsNewer();
            return localWins || pair.length() > 2 ? Resolution.keepLocal(context) : Resolution.applyRemote(context);
        });
        assertThat(failsForSome(kit.forks(), kit::isAssociative)).isTrue();
    }

    @Example
    void catchesANonDeterministicResolver() {
        Random random = new Random(7);
        Kit kit = new Kit((ConflictContext context) -> random.nextBoolean()
                ? Resolution.keepLocal(context) : Resolution.applyRemote(context));
        assertThat(failsForSome(kit.histories(), kit::convergesWhateverTheDeliveryOrder)).isTrue();
    }
}
