package org.dure.identity;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The identity module is the bottom of the module graph: the JDK and no other Dure code. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.dure.identity");
  }

  @Test
  void identityImportsNoOtherDureCode() {
    noClasses()
        .that()
        .resideInAPackage("org.dure.identity..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("org.dure..").and(not(resideInAPackage("org.dure.identity.."))))
        .check(classes);
  }

  @Test
  void identityNeedsNothingButTheJdk() {
    classes()
        .that()
        .resideInAPackage("org.dure.identity..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("org.dure.identity..", "java..")
        .check(classes);
  }
}
