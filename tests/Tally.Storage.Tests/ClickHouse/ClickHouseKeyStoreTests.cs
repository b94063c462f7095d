using Tally.Storage.Tests.Contract;

namespace Tally.Storage.Tests.ClickHouse;

public sealed class ClickHouseKeyStoreTests() : KeyStoreContract(new ClickHouseStoreFactory());
