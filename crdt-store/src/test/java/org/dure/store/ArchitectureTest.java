package org.dure.store;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Package rules of the store (STYLE.md §1): a document kernel that knows no feature, features on it
 * that never reach back into {@link WikiStore}, one direction between them, no cycles.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.dure.store");
  }

  /** Every package a slice, {@code org.dure.store} itself included. */
  private static final SliceAssignment PACKAGES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          return SliceIdentifier.of(c.getPackageName());
        }

        @Override
        public String getDescription() {
          return "the packages of the store";
        }
      };

  /**
   * Peer IDs, keys and this node's identity are the identity module's ({@code org.dure.identity}):
   * the store keeps no second {@code Identity}, {@code PeerId} or base58 of its own.
   */
  @Test
  void peersAreNamedWithTheIdentityModule() {
    noClasses()
        .that()
        .resideInAPackage("org.dure.store..")
        .should()
        .haveSimpleName("Identity")
        .orShould()
        .haveSimpleNameContaining("PeerId")
        .orShould()
        .haveSimpleName("Base58")
        .orShould()
        .haveSimpleName("LibP2pPublicKey")
        .check(classes);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(classes);
  }

  @Test
  void theKernelKnowsNoFeature() {
    noClasses()
        .that()
        .resideInAPackage("org.dure.store.doc..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.dure.store",
            "org.dure.store.wiki..",
            "org.dure.store.social..",
            "org.dure.store.moderation..",
            "org.dure.store.sync..")
        .check(classes);
  }

  @Test
  void featuresNeverReachBackIntoTheStore() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.dure.store")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.dure.store")
        .check(classes);
  }

  @Test
  void featuresDependOneWay() {
    // wiki <- social <- moderation; sync sits on the wiki and social, beside moderation.
    noClasses()
        .that()
        .resideInAPackage("org.dure.store.wiki..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.dure.store.social..", "org.dure.store.moderation..", "org.dure.store.sync..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("org.dure.store.social..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.dure.store.moderation..", "org.dure.store.sync..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("org.dure.store.moderation..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.dure.store.sync..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("org.dure.store.sync..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.dure.store.moderation..")
        .check(classes);
  }

  @Test
  void theVaultUsesOnlyTheWikiAndNothingUsesIt() {
    noClasses()
        .that()
        .resideInAPackage("org.dure.store.vault..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.dure.store.social..", "org.dure.store.moderation..", "org.dure.store.sync..")
        .check(classes);
    noClasses()
        .that()
        .resideOutsideOfPackage("org.dure.store.vault..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.dure.store.vault..")
        .check(classes);
  }

  @Test
  void theFormatValidatorIsALeaf() {
    noClasses()
        .that()
        .resideInAPackage("org.dure.store.format..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.dure.store",
            "org.dure.store.doc..",
            "org.dure.store.wiki..",
            "org.dure.store.social..",
            "org.dure.store.moderation..",
            "org.dure.store.sync..")
        .check(classes);
  }
}
