package ddpo4j;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package layout of DESIGN.md section 1, checked on the main classes: data flows one way, so
 * packages import downward only. Every package (subpackages such as {@code models.unet} or
 * {@code rewards.vlm} included) is a slice of its own.
 */
@AnalyzeClasses(packages = "ddpo4j",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("ddpo4j.(**)").should().beFreeOfCycles();

    /**
     * The same over top-level packages (subpackages folded in). Not redundant: on the code before
     * issue 12, ArchUnit 1.5's search over the fine slices above reported the io and rewards cycles
     * but missed rl -> pretrain -> rl, which this coarser graph reports.
     */
    @ArchTest
    static final ArchRule topLevelPackagesAreFreeOfCycles = slices().matching("ddpo4j.(*)..").should()
            .beFreeOfCycles();

    /** The building blocks know nothing of training, reporting or the command line built on them. */
    @ArchTest
    static final ArchRule buildingBlocksDoNotDependOnApplications = noClasses()
            .that().resideInAnyPackage("ddpo4j.models..", "ddpo4j.nn..", "ddpo4j.tensor..", "ddpo4j.io..",
                    "ddpo4j.text..", "ddpo4j.schedulers..")
            .should().dependOnClassesThat().resideInAnyPackage("ddpo4j.rl..", "ddpo4j.cli..", "ddpo4j.report..",
                    "ddpo4j.bench..", "ddpo4j.pretrain..");

    /** io reads and writes formats; building models or a pipeline from a folder happens above it. */
    @ArchTest
    static final ArchRule ioReadsFormatsOnly = noClasses()
            .that().resideInAPackage("ddpo4j.io..")
            .should().dependOnClassesThat().resideInAnyPackage("ddpo4j.models..", "ddpo4j.schedulers..",
                    "ddpo4j.pipeline..", "ddpo4j.text..");

    /** The command line is the top: thin, and nothing a library user needs lives in it. */
    @ArchTest
    static final ArchRule nothingDependsOnTheCli = noClasses()
            .that().resideOutsideOfPackage("ddpo4j.cli..")
            .should().dependOnClassesThat().resideInAPackage("ddpo4j.cli..");

    /** The trainer tells listeners what happened; the HTML report is one of them, hung on by the CLI. */
    @ArchTest
    static final ArchRule trainingDoesNotDrawReports = noClasses()
            .that().resideInAPackage("ddpo4j.rl..")
            .should().dependOnClassesThat().resideInAPackage("ddpo4j.report..");

    /** Spark (and Scala) appear in ddpo4j.spark alone: everything else runs without their jars. */
    @ArchTest
    static final ArchRule onlyTheSparkPackageUsesSpark = noClasses()
            .that().resideOutsideOfPackage("ddpo4j.spark..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "scala..");

    /**
     * ddpo4j.spark is reached from the CLI's SparkTrain alone, which runs only for --spark, so a
     * single-machine run never loads a class that needs Spark (see TrainWithoutSparkTest).
     */
    @ArchTest
    static final ArchRule sparkIsReachedOnlyForSparkRuns = noClasses()
            .that().resideOutsideOfPackage("ddpo4j.spark..")
            .and().doNotHaveFullyQualifiedName("ddpo4j.cli.SparkTrain")
            .should().dependOnClassesThat().resideInAPackage("ddpo4j.spark..");
}
