using System.Diagnostics;
using Tally.Core.Storage;

/// <summary>A store under test with the time spent in its writes.</summary>
internal sealed class BenchStore(string name, IEventStore store) : IAsyncDisposable
{
    public string Name { get; } = name;
    public IEventStore Store { get; } = store;
    public IAnalyticsStore Analytics { get; } = (IAnalyticsStore)store;
    public Stopwatch Load { get; } = new();

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
