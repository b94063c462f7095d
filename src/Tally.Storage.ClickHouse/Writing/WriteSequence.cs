namespace Tally.Storage.ClickHouse.Writing;

/// <summary>
/// Orders rows that carry the same instant (two opt-out requests at one millisecond): later writes get greater numbers.
/// Taken from the clock in ticks, so it also grows across restarts, and never repeats within a process.
/// </summary>
internal static class WriteSequence
{
    private static long _last;

    public static ulong Next()
    {
        while (true)
        {
            var last = Interlocked.Read(ref _last);
            var next = Math.Max(last + 1, DateTime.UtcNow.Ticks);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return (ulong)next;
            }
        }
    }
}
