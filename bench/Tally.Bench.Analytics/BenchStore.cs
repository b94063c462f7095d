using System.Diagnostics;
using Tally.Core.Storage;

/// <summary>A store under test with the time spent in its writes.</summary>
internal sealed class BenchStore(string name, IEventStore store) : IAsyncDisposable
{
    public string Name { get; } = name;
    public IEventStore Store { get; } = store;
    public IAnalyticsStore Analytics { get; } = (IAnalyticsStore)store;
    public Stopwatch Load { get; } = new();
    /// <summary>True when the store already held the events (a reused data directory or database): it is not loaded again.</summary>
    public bool Loaded { get; set; }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
