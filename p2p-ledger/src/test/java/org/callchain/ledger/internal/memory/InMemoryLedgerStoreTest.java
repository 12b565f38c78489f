package org.callchain.ledger.internal.memory;

import org.callchain.ledger.LedgerStore;
import org.callchain.ledger.testing.AbstractLedgerStoreContractTest;

class InMemoryLedgerStoreTest extends AbstractLedgerStoreContractTest {
  @Override
  protected LedgerStore newStore() {
    return new InMemoryLedgerStore();
  }
}
