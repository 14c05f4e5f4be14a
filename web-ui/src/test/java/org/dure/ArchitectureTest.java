package org.dure;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guards the module graph of DEVELOPERS.md: crdt-store ← network ← moderation ← web-ui, one way;
 * and the web UI's views reach data only through the store's API.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.dure");
  }

  @Test
  void storeDependsOnNoOtherProjectModule() {
    noClasses()
        .that()
        .resideInAPackage("org.dure.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.dure.net..", "org.dure.moderation..", "org.dure.ui..", "org.dure.app..")
        .check(classes);
  }

  @Test
  void networkDependsOnlyOnTheStore() {
    noClasses()
        .that()
        .resideInAPackage("org.dure.net..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.dure.moderation..", "org.dure.ui..", "org.dure.app..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void moderationDoesNotDependOnTheWebUi() {
    noClasses()
        .that()
        .resideInAPackage("org.dure.moderation..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.dure.ui..", "org.dure.app..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void viewsNeverTouchAutomergeOrJdbc() {
    noClasses()
        .that()
        .resideInAnyPackage("org.dure.ui..", "org.dure.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.automerge..", "java.sql..", "org.sqlite..")
        .check(classes);
  }

  @Test
  void projectModulesHaveNoCycles() {
    slices().matching("org.dure.(*)..").should().beFreeOfCycles().check(classes);
  }
}
