using Tally.Core.Plans;
using Tally.Core.Storage;
using Tally.Core.Tests.Support;
using Tally.Storage.ClickHouse;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>
/// One ClickHouse database per seed plan, loaded once with that plan's <see cref="AnalyticsDataSet"/> and shared by the
/// differential tests (loading is the slow part); every database is dropped at the end.
/// </summary>
public sealed class SeedPlanStores : IAsyncLifetime
{
    private readonly Dictionary<string, Task<Loaded>> _loaded = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    internal sealed record Loaded(TrackingPlan Plan, AnalyticsDataSet Data, ClickHouseEventStore Store, string Database);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    internal Task<Loaded> ForAsync(string planFile)
    {
        lock (_gate)
        {
            if (!_loaded.TryGetValue(planFile, out var loading)) _loaded[planFile] = loading = LoadAsync(planFile);
            return loading;
        }
    }

    public static TrackingPlan Plan(string planFile)
    {
        var loaded = PlanLoader.LoadFile(Repo.PathOf("plans", planFile));
        return loaded.Plan ?? throw new InvalidOperationException($"{planFile} does not load: {string.Join("; ", loaded.Diagnostics)}");
    }

    private static async Task<Loaded> LoadAsync(string planFile)
    {
        var plan = Plan(planFile);
        // A seed per plan, so every run sees the same data and a failure can be replayed.
        var data = AnalyticsDataSet.For(plan, seed: planFile.Length * 7919);
        var database = ClickHouseServer.NewDatabaseName();
        var store = await ClickHouseEventStore.OpenAsync(new ClickHouseStoreUri(ClickHouseServer.Url, database));
        // Several batches, the links in the middle one: answers must not depend on write order.
        var third = data.Events.Count / 3;
        await store.WriteAsync(new WriteBatch(data.Events[..third], [], []));
        await store.WriteAsync(new WriteBatch(data.Events[third..(2 * third)], [], data.Links));
        await store.WriteAsync(new WriteBatch(data.Events[(2 * third)..], [], data.Links[..2]));
        return new Loaded(plan, data, store, database);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var loading in _loaded.Values)
        {
            if (!loading.IsCompletedSuccessfully) continue;
            var loaded = await loading;
            await loaded.Store.DisposeAsync();
            await ClickHouseServer.DropDatabaseAsync(loaded.Database);
        }
    }
}
