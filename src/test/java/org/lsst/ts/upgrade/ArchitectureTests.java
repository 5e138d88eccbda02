package org.lsst.ts.upgrade;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The module boundaries (design: one package per capability). Spring Modulith checks that the
 * top-level packages form no cycle and use each other only through their public roots (or a named
 * interface, like {@code runbook.runs}); ArchUnit adds that no production package uses the rehearsal
 * twin and that the runbook's sub-packages form no cycle. Each ArchUnit rule is shown to catch a
 * deliberately broken fixture ({@code fixtures.architecture}).
 */
class ArchitectureTests {
  static final ApplicationModules MODULES = ApplicationModules.of(UpgradeOrchestratorApplication.class);
  static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.lsst.ts.upgrade");

  static final ArchRule NOTHING_USES_THE_TWIN = noClasses().that().resideOutsideOfPackage("org.lsst.ts.upgrade.rehearsal..")
      .should().dependOnClassesThat().resideInAPackage("org.lsst.ts.upgrade.rehearsal..")
      .because("the twin is only for rehearsals and tests: production code must run without it");

  static ArchRule noCycles(String packages) {
    return slices().matching(packages).should().beFreeOfCycles();
  }

  @Test
  void modulesHaveNoCyclesAndUseEachOthersApiOnly() {
    MODULES.verify();
  }

  @Test
  void noProductionPackageUsesTheRehearsalTwin() {
    NOTHING_USES_THE_TWIN.check(MAIN);
    JavaClasses broken = new ClassFileImporter().importPackages("fixtures.architecture");
    assertThatThrownBy(() -> NOTHING_USES_THE_TWIN.check(broken)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("UsesTheTwin");
  }

  @Test
  void theRunbooksSubPackagesHaveNoCycles() {
    noCycles("org.lsst.ts.upgrade.runbook.(*)..").check(MAIN);
    JavaClasses broken = new ClassFileImporter().importPackages("fixtures.architecture.cycle");
    assertThatThrownBy(() -> noCycles("fixtures.architecture.cycle.(*)..").check(broken))
        .isInstanceOf(AssertionError.class).hasMessageContaining("Cycle detected");
  }

  @Test
  void theModuleDiagramsForTheDocsNameEveryModule() {
    new Documenter(MODULES).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
    Path dir = Path.of("target", "spring-modulith-docs");
    assertThat(dir.resolve("components.puml")).content().contains("Runbook", "Site");
    MODULES.forEach(m -> assertThat(dir.resolve("module-" + m.getIdentifier() + ".puml")).exists());
  }
}
