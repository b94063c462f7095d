using Tally.Storage.Tests.Retention;

namespace Tally.Storage.Tests.Sqlite;

/// <summary>The retention run on a real SQLite file.</summary>
public sealed class SqliteRetentionRunTests() : RetentionRunContract(new SqliteStoreFactory());
