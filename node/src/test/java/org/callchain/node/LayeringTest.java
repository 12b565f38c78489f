package org.callchain.node;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The one dependency rule of docs/ARCHITECTURE.md, checked on the compiled classes. */
class LayeringTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.callchain");

  @Test
  void softphoneCoreKnowsNothingOfLedgerChainOrNetwork() {
    noClasses()
        .that()
        .resideInAnyPackage("org.callchain.phone..", "org.callchain.media..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.callchain.ledger..",
            "org.callchain.chain..",
            "org.callchain.net..",
            "org.callchain.contracts..",
            "org.callchain.node..")
        .because("softphone-core is a plain softphone; node adds the ledger through its SPIs")
        .allowEmptyShould(true)
        .check(CLASSES);
  }

  @Test
  void ledgerKnowsNothingOfSip() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.callchain.ledger..", "org.callchain.chain..", "org.callchain.net..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.callchain.phone..", "org.callchain.media..", "org.callchain.node..", "javax.sip..")
        .because("p2p-ledger records calls as data; it never speaks SIP")
        .allowEmptyShould(true)
        .check(CLASSES);
  }

  @Test
  void networkLayerKnowsNothingOfCallRecords() {
    noClasses()
        .that()
        .resideInAPackage("org.callchain.net..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.callchain.ledger..", "org.callchain.chain..")
        .because("the libp2p stack is a general-purpose network; records ride on it as bytes")
        .allowEmptyShould(true)
        .check(CLASSES);
  }
}
