package io.comet.core.store;

/** The reference semantics: {@link MemoryStore} passes the {@link StoreContractTest}. */
class MemoryStoreContractTest extends StoreContractTest {

    @Override
    protected Store openEmpty() {
        return new MemoryStore();
    }
}
