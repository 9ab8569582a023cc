package io.iios.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.iios.archfixture.ReachesIntoCoreInternals;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The module rules of design §2, checked on the compiled main classes of spi, api and core. */
class ArchitectureTest {
    private static final String[] BROKER_CLIENTS = {"redis.clients", "io.nats", "org.eclipse.paho", "io.helidon"};
    private static final String[] BROKER_CLIENTS_AND_LIBRARIES = {"redis.clients", "io.nats", "org.eclipse.paho",
        "io.helidon", "com.fasterxml", "io.micrometer"};

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.iios");
    }

    @Test
    @DisplayName("the import holds the main classes of spi, api and core, and no test class")
    void importIsNotEmpty() {
        assertThat(main.contain(io.iios.spi.KvStore.class)).isTrue();
        assertThat(main.contain(io.iios.api.Gateway.class)).isTrue();
        assertThat(main.contain(Iios.class)).isTrue();
        assertThat(main.contain(io.iios.core.internal.memory.MemoryTransport.class)).isTrue();
        assertThat(main.contain(ArchitectureTest.class)).isFalse();
        assertThat(main.contain(ReachesIntoCoreInternals.class)).isFalse();
    }

    @Test
    @DisplayName("iios-spi depends only on the JDK, JSpecify and itself")
    void spiDependsOnNothingOfOurs() {
        classes().that().resideInAPackage("io.iios.spi..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.jspecify..", "io.iios.spi..")
                .allowEmptyShould(false)
                .check(main);
    }

    @Test
    @DisplayName("iios-api depends only on the JDK, JSpecify and itself")
    void apiDependsOnNothingOfOurs() {
        classes().that().resideInAPackage("io.iios.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.jspecify..", "io.iios.api..")
                .allowEmptyShould(false)
                .check(main);
    }

    @Test
    @DisplayName("no class outside core depends on io.iios.core.internal")
    void coreInternalsStayInCore() {
        assertThat(main.stream().filter(c -> c.getPackageName().startsWith("io.iios.core.internal"))).isNotEmpty();
        ArchRule rule = noClasses().that().resideOutsideOfPackage("io.iios.core..")
                .should().dependOnClassesThat().resideInAPackage("io.iios.core.internal..")
                .allowEmptyShould(false);

        rule.check(main);
        assertThat(rule.evaluate(new ClassFileImporter().importClasses(ReachesIntoCoreInternals.class))
                .hasViolation()).as("the rule catches a class that reaches into core internals").isTrue();
    }

    @Test
    @DisplayName("no class uses a package named 'internal' of another module (spi, api, core, any future one)")
    void noModuleUsesAnotherModulesInternals() {
        ArchRule rule = classes().that().resideInAPackage("io.iios..")
                .should(notUseInternalsOfOtherModules())
                .allowEmptyShould(false);

        rule.check(main);
        assertThat(rule.evaluate(new ClassFileImporter().importClasses(ReachesIntoCoreInternals.class))
                .hasViolation()).isTrue();
        for (String module : List.of("io.iios.spi", "io.iios.api")) {
            noClasses().that().resideOutsideOfPackage(module + "..")
                    .should().dependOnClassesThat().resideInAPackage(module + ".internal..")
                    .allowEmptyShould(false)
                    .check(main);
        }
    }

    @Test
    @DisplayName("public signatures of api and spi expose no broker client, Jackson or Micrometer type")
    void apiAndSpiSignaturesAreClean() {
        ArchRule rule = classes().that().resideInAnyPackage("io.iios.api..", "io.iios.spi..").and().arePublic()
                .should(notExposeTypesFrom(BROKER_CLIENTS_AND_LIBRARIES))
                .allowEmptyShould(false);

        rule.check(main);
        assertThat(classes().should(notExposeTypesFrom(BROKER_CLIENTS_AND_LIBRARIES))
                .evaluate(new ClassFileImporter().importClasses(ReachesIntoCoreInternals.class)).hasViolation())
                .as("the condition catches a public method returning a Jackson type").isTrue();
    }

    @Test
    @DisplayName("public signatures of core's top-level package expose no broker client type")
    void coreSignaturesAreClean() {
        assertThat(publicMembers(main.get(Iios.Builder.class))).isNotEmpty();
        classes().that().resideInAPackage("io.iios.core").and().arePublic()
                .should(notExposeTypesFrom(BROKER_CLIENTS))
                .allowEmptyShould(false)
                .check(main);
    }

    // ---------------------------------------------------------------- conditions

    /** A dependency on {@code X.internal..} is allowed only from inside {@code X..}. */
    private static ArchCondition<JavaClass> notUseInternalsOfOtherModules() {
        return new ArchCondition<>("not depend on a package named 'internal' of another module") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    String target = d.getTargetClass().getPackageName();
                    int i = target.indexOf(".internal");
                    if (i < 0 || !(target.length() == i + 9 || target.charAt(i + 9) == '.')) {
                        continue;
                    }
                    String owner = target.substring(0, i);
                    String from = origin.getPackageName();
                    if (!(from.equals(owner) || from.startsWith(owner + "."))) {
                        events.add(SimpleConditionEvent.violated(origin, d.getDescription()
                                + " uses internals of module " + owner));
                    }
                }
            }
        };
    }

    private static List<JavaMember> publicMembers(JavaClass c) {
        List<JavaMember> out = new ArrayList<>();
        for (JavaMember m : c.getMembers()) {
            if (m.getModifiers().contains(JavaModifier.PUBLIC)) {
                out.add(m);
            }
        }
        return out;
    }

    /** Every raw type in a public member's signature: parameters, return, throws, field type, with type arguments. */
    private static Set<JavaClass> signatureTypes(JavaMember m) {
        Set<JavaClass> types = new LinkedHashSet<>();
        if (m instanceof JavaField f) {
            types.addAll(f.getType().getAllInvolvedRawTypes());
        } else if (m instanceof JavaCodeUnit cu) {
            types.addAll(cu.getReturnType().getAllInvolvedRawTypes());
            for (JavaType p : cu.getParameterTypes()) {
                types.addAll(p.getAllInvolvedRawTypes());
            }
            for (JavaClass t : cu.getExceptionTypes()) {
                types.add(t);
            }
        }
        return types;
    }

    private static ArchCondition<JavaClass> notExposeTypesFrom(String... packagePrefixes) {
        return new ArchCondition<>("not expose types of " + String.join(", ", packagePrefixes)
                + " in public signatures") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                for (JavaMember m : publicMembers(c)) {
                    for (JavaClass t : signatureTypes(m)) {
                        for (String prefix : packagePrefixes) {
                            if (t.getPackageName().equals(prefix) || t.getPackageName().startsWith(prefix + ".")) {
                                events.add(SimpleConditionEvent.violated(m, m.getFullName() + " exposes "
                                        + t.getName()));
                            }
                        }
                    }
                }
            }
        };
    }
}
