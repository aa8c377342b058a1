package dev.aiagg.gateway;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;

/**
 * The module rules of the design, over the main classes of every module (the gateway's tests see them all). Each
 * module lives in its own package: {@code api}, {@code axon} (axon-config), {@code command} (command-side),
 * {@code query} (query-side), {@code payments} (saga-payments), {@code proxy} (proxy-adapter), {@code gateway}.
 */
@AnalyzeClasses(packages = "dev.aiagg", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleRulesTest {

    private static final String API = "dev.aiagg.api..";
    private static final String AXON_CONFIG = "dev.aiagg.axon..";
    private static final String COMMAND_SIDE = "dev.aiagg.command..";
    private static final String QUERY_SIDE = "dev.aiagg.query..";
    private static final String SAGA_PAYMENTS = "dev.aiagg.payments..";
    private static final String PROXY_ADAPTER = "dev.aiagg.proxy..";
    private static final String GATEWAY = "dev.aiagg.gateway..";
    private static final String OURS = "dev.aiagg..";

    @ArchTest
    static final ArchRule commandSideNeverImportsQuerySide = noClasses()
            .that().resideInAPackage(COMMAND_SIDE)
            .should().dependOnClassesThat().resideInAPackage(QUERY_SIDE)
            .because("the sides talk through messages from api, never through each other's classes");

    @ArchTest
    static final ArchRule querySideNeverImportsCommandSide = noClasses()
            .that().resideInAPackage(QUERY_SIDE)
            .should().dependOnClassesThat().resideInAPackage(COMMAND_SIDE)
            .because("the sides talk through messages from api, never through each other's classes");

    @ArchTest
    static final ArchRule proxyAdapterKnowsNoAxon = noClasses()
            .that().resideInAPackage(PROXY_ADAPTER)
            .should().dependOnClassesThat().resideInAPackage("org.axonframework..")
            .because("the provider clients know nothing of event sourcing");

    @ArchTest
    static final ArchRule proxyAdapterKnowsNothingOfOurs = noClasses()
            .that().resideInAPackage(PROXY_ADAPTER)
            .should().dependOnClassesThat(resideInAPackage(OURS).and(not(resideInAPackage(PROXY_ADAPTER))))
            .because("the provider clients know no ledger, no messages and no HTTP API of ours");

    @ArchTest
    static final ArchRule onlyTheGatewayImportsTheGateway = noClasses()
            .that().resideOutsideOfPackage(GATEWAY)
            .should().dependOnClassesThat().resideInAPackage(GATEWAY)
            .because("the gateway is the composition root: it uses the modules, they never use it");

    @ArchTest
    static final ArchRule theGatewayKnowsNeitherSidesClasses = noClasses()
            .that().resideInAPackage(GATEWAY)
            .should().dependOnClassesThat().resideInAnyPackage(COMMAND_SIDE, QUERY_SIDE)
            .because("the HTTP API sends commands and queries from api; the sides' classes stay theirs");

    @ArchTest
    static final ArchRule apiDependsOnNothingOfOurs = noClasses()
            .that().resideInAPackage(API)
            .should().dependOnClassesThat(resideInAPackage(OURS).and(not(resideInAPackage(API))))
            .because("api is the published language every module shares");

    @ArchTest
    static final ArchRule axonConfigDependsOnlyOnApi = noClasses()
            .that().resideInAPackage(AXON_CONFIG)
            .should().dependOnClassesThat(resideInAPackage(OURS).and(not(resideInAnyPackage(API, AXON_CONFIG))))
            .because("axon-config is infrastructure under the sides");

    @ArchTest
    static final ArchRule theSidesDependOnlyOnApiAndAxonConfig = noClasses()
            .that().resideInAnyPackage(COMMAND_SIDE, QUERY_SIDE)
            .should().dependOnClassesThat().resideInAnyPackage(SAGA_PAYMENTS, PROXY_ADAPTER)
            .because("command-side and query-side may depend on api and axon-config only");

    @ArchTest
    static final ArchRule sagaPaymentsDependsOnlyOnApiAndAxonConfig = noClasses()
            .that().resideInAPackage(SAGA_PAYMENTS)
            .should().dependOnClassesThat(
                    resideInAPackage(OURS).and(not(resideInAnyPackage(API, AXON_CONFIG, SAGA_PAYMENTS))))
            .because("the payment sagas talk to the rest through messages from api")
            .allowEmptyShould(true);

    /**
     * Spring and Axon find configurations, properties, aggregates and handlers without their being public. Three kinds
     * of public classes are exempt, as no class file shows who needs them: entry points (a launcher starts them),
     * holders of constants (the compiler copies a constant into the class that uses it) and types nested in an
     * interface (the language makes them public).
     */
    @ArchTest
    static final ArchRule classesArePackagePrivateUnlessAnotherPackageNeedsThem = classes()
            .that().resideInAPackage(OURS).and().arePublic()
            .and(not(entryPoints())).and(not(constantHolders())).and(not(nestedInAnInterface()))
            .should(beUsedByAClassOfAnotherPackage())
            .because("a class is public only when another package needs it");

    private static DescribedPredicate<JavaClass> entryPoints() {
        return DescribedPredicate.describe("entry points", type -> type.getMethods().stream().anyMatch(method ->
                method.getName().equals("main") && method.getModifiers().contains(JavaModifier.STATIC)
                        && method.getModifiers().contains(JavaModifier.PUBLIC)));
    }

    private static DescribedPredicate<JavaClass> constantHolders() {
        return DescribedPredicate.describe("holders of constants", type -> type.getFields().stream().anyMatch(field ->
                field.getModifiers().containsAll(List.of(JavaModifier.PUBLIC, JavaModifier.STATIC, JavaModifier.FINAL))
                        && (field.getRawType().isPrimitive() || field.getRawType().isEquivalentTo(String.class))));
    }

    private static DescribedPredicate<JavaClass> nestedInAnInterface() {
        return DescribedPredicate.describe("nested in an interface", type ->
                type.getEnclosingClass().map(JavaClass::isInterface).orElse(false));
    }

    private static ArchCondition<JavaClass> beUsedByAClassOfAnotherPackage() {
        return new ArchCondition<>("be used by a class of another package") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                boolean used = type.getDirectDependenciesToSelf().stream()
                        .anyMatch(use -> !use.getOriginClass().getPackageName().equals(type.getPackageName()));
                if (!used) {
                    events.add(SimpleConditionEvent.violated(type,
                            type.getName() + " is public, but no class of another package uses it"));
                }
            }
        };
    }
}
