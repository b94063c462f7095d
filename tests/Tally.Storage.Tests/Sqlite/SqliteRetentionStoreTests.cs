using Tally.Storage.Tests.Contract;

namespace Tally.Storage.Tests.Sqlite;

/// <summary>The retention contract on a real SQLite file.</summary>
public sealed class SqliteRetentionStoreTests() : RetentionStoreContract(new SqliteStoreFactory());
