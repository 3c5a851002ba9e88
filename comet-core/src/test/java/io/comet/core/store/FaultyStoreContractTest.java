package io.comet.core.store;

/** A {@link FaultyStore} that is told nothing behaves as the store it wraps. */
class FaultyStoreContractTest extends StoreContractTest {

    @Override
    protected Store openEmpty() {
        return new FaultyStore(new MemoryStore());
    }
}
