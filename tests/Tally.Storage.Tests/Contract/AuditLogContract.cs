using Tally.Core.Governance;
using Tally.Core.Storage;

namespace Tally.Storage.Tests.Contract;

/// <summary>What every store's audit log promises: append-only lines read back whole, newest first, filtered by range and action, kept across a reopen.</summary>
public abstract class AuditLogContract(IEventStoreFactory factory) : IAsyncLifetime
{
    private readonly List<IEventStore> _opened = [];
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private IAuditLog Log => (IAuditLog)_opened[0];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _opened.Add(await factory.CreateAsync());

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened) await store.DisposeAsync();
        await factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static AuditEntry Line(int minute, string action = "query.funnel", string outcome = "ok") =>
        new(Noon.AddMinutes(minute), $"ak_{minute}…", "analyst", action, $"/v1/funnels/f{minute}", outcome, $"status={(outcome == "ok" ? 200 : 403)} n={minute}");

    [Fact]
    public async Task A_new_store_has_an_empty_audit_log()
    {
        Assert.Empty(await Log.ReadAuditAsync(new AuditQuery(), Ct));
    }

    [Fact]
    public async Task Appended_lines_read_back_whole_and_newest_first()
    {
        var lines = new[] { Line(1), Line(3, "subjects.delete"), Line(2, outcome: "denied") };
        foreach (var line in lines) await Log.AppendAuditAsync(line, Ct);

        var read = await Log.ReadAuditAsync(new AuditQuery(), Ct);

        Assert.Equal(lines.OrderByDescending(l => l.At), read);
    }

    [Fact]
    public async Task Lines_of_the_same_millisecond_read_back_in_reverse_order_of_writing()
    {
        var first = Line(5) with { Actor = "first" };
        var second = Line(5) with { Actor = "second" };
        await Log.AppendAuditAsync(first, Ct);
        await Log.AppendAuditAsync(second, Ct);

        Assert.Equal([second, first], await Log.ReadAuditAsync(new AuditQuery(), Ct));
    }

    [Fact]
    public async Task Range_action_and_limit_filter_the_lines()
    {
        for (var m = 0; m < 10; m++) await Log.AppendAuditAsync(Line(m, m % 2 == 0 ? "subjects.delete" : "audit.read"), Ct);

        var ranged = await Log.ReadAuditAsync(new AuditQuery(Noon.AddMinutes(3), Noon.AddMinutes(7)), Ct);
        Assert.Equal([6, 5, 4, 3], ranged.Select(l => l.At.Minute));

        var deletes = await Log.ReadAuditAsync(new AuditQuery(Action: "subjects.delete"), Ct);
        Assert.Equal([8, 6, 4, 2, 0], deletes.Select(l => l.At.Minute));

        var limited = await Log.ReadAuditAsync(new AuditQuery(Action: "audit.read", Limit: 2), Ct);
        Assert.Equal([9, 7], limited.Select(l => l.At.Minute));
    }

    [Fact]
    public async Task The_audit_log_survives_a_reopen()
    {
        var line = Line(1, "subjects.delete");
        await Log.AppendAuditAsync(line, Ct);
        await _opened[0].DisposeAsync();
        _opened[0] = await factory.ReopenAsync();

        Assert.Equal([line], await Log.ReadAuditAsync(new AuditQuery(), Ct));
    }
}
