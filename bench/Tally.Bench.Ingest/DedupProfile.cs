using System.Diagnostics;
using Tally.Storage.Sqlite.Dedup;

/// <summary>
/// The writer's deduplication set on its own: random fingerprints added in windows of 1,000, as a writer adds a few
/// batches' ids. Reports the mean cost of an add and the windows that took over 5 ms, which is where a growing set
/// stalls every write waiting behind it.
/// </summary>
internal static class DedupProfile
{
    private const int Window = 1_000;

    public static void Run(int ids)
    {
        var set = new FingerprintSet();
        var random = new Random(1);
        var slow = new List<(long Added, double Ms)>();
        var clock = new Stopwatch();
        var total = TimeSpan.Zero;
        long added = 0;
        while (added < ids)
        {
            clock.Restart();
            for (var i = 0; i < Window; i++, added++)
            {
                set.Add(new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64() | 1));
            }

            total += clock.Elapsed;
            if (clock.Elapsed.TotalMilliseconds > 5) slow.Add((added, clock.Elapsed.TotalMilliseconds));
        }

        Console.WriteLine($"{added:N0} ids added in {total.TotalSeconds:F2} s: {total.TotalNanoseconds / added:F0} ns an add");
        Console.WriteLine($"windows of {Window:N0} adds over 5 ms: {slow.Count}, together {slow.Sum(s => s.Ms):F0} ms");
        foreach (var (at, ms) in slow.OrderByDescending(s => s.Ms).Take(5).OrderBy(s => s.Added))
            Console.WriteLine($"  {ms,8:F1} ms for the adds up to {at:N0}");
    }
}
