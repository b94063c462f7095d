using Microsoft.Data.Sqlite;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>
/// Copies the write-ahead log into the database file from a background connection, so that work (tens of
/// milliseconds for a large WAL, with its own fsync) is not done inside a commit that clients are waiting on: SQLite's
/// automatic checkpoint runs in whichever commit crosses the threshold, which showed up as the p99 of single-event
/// requests. A PASSIVE checkpoint never blocks the writer or readers; the writer's own automatic checkpoint stays on
/// as a backstop at a much larger WAL size, in case this one falls behind.
/// </summary>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public WalCheckpointer(string connectionString, TimeSpan interval)
    {
        _connectionString = connectionString;
        _loop = Task.Run(() => RunAsync(interval));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        SqliteConnection? connection = null;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    if (connection is null)
                    {
                        connection = new SqliteConnection(_connectionString);
                        connection.Open();
                    }

                    using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    command.ExecuteNonQuery();
                }
                catch (SqliteException)
                {
                    // Busy or I/O trouble: the next tick tries again, and the writer's own checkpoint is the backstop.
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        finally
        {
            connection?.Dispose();
        }
    }
}
