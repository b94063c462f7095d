using System.Buffers;
using System.Text;
using System.Text.Json;
using Tally.Core.Governance;
using Tally.Core.Plans;
using Tally.Core.Storage;

namespace Tally.Server.Governance;

/// <summary>
/// Applies the plan's retention to a store: archives each event's raw rows past its archive period (into
/// <see cref="ArchiveDirectory"/>, see <see cref="EventArchive"/>), then deletes raw rows past retention, then roll-up
/// rows past the aggregate retention. Every event is archived before any is deleted, so a failure while archiving
/// deletes nothing. Each run, dry or not, is appended to the store's audit log when it keeps one
/// (<c>retention.apply</c>, detail: the counts). Used by <c>tally retention apply</c>, the server's hourly job and
/// <c>POST /v1/retention/apply</c>; runs of one instance never overlap.
/// </summary>
public sealed class RetentionRun(IEventStore store, TrackingPlan plan)
{
    public const string AuditAction = "retention.apply";

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>The audit lines' target: the plan whose retention is applied.</summary>
    public string Target => plan.Name;

    /// <summary>Where archived events go; required when the plan declares an archive period and the run is not dry.</summary>
    public string? ArchiveDirectory { get; init; }

    public async Task<RetentionReport> RunAsync(DateTimeOffset now, bool dryRun, string actor, string role, CancellationToken ct = default)
    {
        await _oneAtATime.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            RetentionReport report;
            try
            {
                report = await ApplyAsync(now, dryRun, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await AuditAsync(new AuditEntry(DateTimeOffset.UtcNow, actor, role, AuditAction, plan.Name, "error", ErrorDetail(dryRun, ex)), ct).ConfigureAwait(false);
                throw;
            }

            await AuditAsync(new AuditEntry(DateTimeOffset.UtcNow, actor, role, AuditAction, plan.Name, "ok", Detail(report)), ct).ConfigureAwait(false);
            return report;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<RetentionReport> ApplyAsync(DateTimeOffset now, bool dryRun, CancellationToken ct)
    {
        var retention = store as IRetentionStore
            ?? throw new NotSupportedException($"the {store.GetType().Name} store cannot apply retention");
        var schedule = RetentionPlanner.Plan(plan, now);
        var archived = schedule.Events.Where(e => e.ArchiveBefore is not null).ToList();
        if (!dryRun && archived.Count > 0 && ArchiveDirectory is null)
        {
            throw new InvalidOperationException(
                $"the plan archives events ({string.Join(", ", archived.Take(3).Select(e => e.Name))}{(archived.Count > 3 ? ", …" : "")}) before deleting them: give an archive directory");
        }

        var archive = ArchiveDirectory is null ? null : new EventArchive(ArchiveDirectory, plan);
        var archivedCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var e in archived)
        {
            var before = e.ArchiveBefore!.Value;
            archivedCounts[e.Name] = dryRun
                ? await store.CountEventsAsync(new EventQuery(e.Name, archive?.ArchivedBefore(e.Name), before), ct).ConfigureAwait(false)
                : await archive!.ArchiveAsync(store, e.Name, before, ct).ConfigureAwait(false);
        }

        if (!dryRun)
        {
            // What is about to be deleted is archived first even if it arrived late, after the watermark had passed it.
            foreach (var e in archived.Where(e => e.DeleteBefore is not null))
            {
                var late = await archive!.ArchiveStillStoredAsync(store, e.Name, e.DeleteBefore!.Value, ct).ConfigureAwait(false);
                archivedCounts[e.Name] += late;
            }
        }

        var cutoffs = schedule.Events.Where(e => e.DeleteBefore is not null).Select(e => new EventCutoff(e.Name, e.DeleteBefore!.Value)).ToList();
        var deleted = cutoffs.Count == 0
            ? new Dictionary<string, long>()
            : dryRun
                ? await retention.CountEventsBeforeAsync(cutoffs, ct).ConfigureAwait(false)
                : await retention.DeleteEventsBeforeAsync(cutoffs, ct).ConfigureAwait(false);

        long rollups = 0;
        if (schedule.RollupsBefore is { } day)
        {
            rollups = dryRun
                ? await retention.CountRollupsBeforeAsync(day, ct).ConfigureAwait(false)
                : await retention.DeleteRollupsBeforeAsync(day, ct).ConfigureAwait(false);
        }

        var events = schedule.Events
            .Where(e => !e.KeepsForever)
            .Select(e => new RetentionEventReport(
                e.Name, Format(e.Retention), Format(e.ArchiveAfter), e.ArchiveBefore, e.DeleteBefore,
                archivedCounts.GetValueOrDefault(e.Name), deleted.GetValueOrDefault(e.Name)))
            .ToList();
        return new RetentionReport(now, dryRun, archive?.Root, events, PlanDuration.Format(plan.Defaults.AggregateRetention), schedule.RollupsBefore, rollups);
    }

    private async Task AuditAsync(AuditEntry entry, CancellationToken ct)
    {
        if (store is IAuditLog log) await log.AppendAuditAsync(entry, ct).ConfigureAwait(false);
    }

    private static string? Format(TimeSpan? d) => d is { } v ? PlanDuration.Format(v) : null;

    /// <summary>The audit line's detail: only events something happened to, so an idle hour stays one short line.</summary>
    public static string Detail(RetentionReport report) => Json(w =>
    {
        w.WriteBoolean("dry_run", report.DryRun);
        w.WriteStartObject("archived");
        foreach (var e in report.Events.Where(e => e.Archived > 0)) w.WriteNumber(e.Event, e.Archived);
        w.WriteEndObject();
        w.WriteStartObject("deleted");
        foreach (var e in report.Events.Where(e => e.Deleted > 0)) w.WriteNumber(e.Event, e.Deleted);
        w.WriteEndObject();
        w.WriteNumber("rollup_rows_deleted", report.RollupRowsDeleted);
    });

    private static string ErrorDetail(bool dryRun, Exception ex) => Json(w =>
    {
        w.WriteBoolean("dry_run", dryRun);
        w.WriteString("error", ex.Message);
    });

    private static string Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
