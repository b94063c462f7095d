using Tally.Storage.Tests.Contract;

namespace Tally.Storage.Tests.Sqlite;

public sealed class SqliteKeyStoreTests() : KeyStoreContract(new SqliteStoreFactory());
