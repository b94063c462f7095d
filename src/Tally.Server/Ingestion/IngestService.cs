using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tally.Core.Events;
using Tally.Core.Pipeline;
using Tally.Core.Storage;
using Tally.Server.Observability;
using Tally.Server.Writing;

namespace Tally.Server.Ingestion;

/// <summary>
/// Runs a request's events through the pipeline, writes accepted and quarantined events in one group-committed
/// batch, and counts every outcome. Logs carry names, counts and codes only, never property values.
/// </summary>
public sealed class IngestService(EventPipeline pipeline, IBatchSink writer, TallyMetrics metrics, ILogger<IngestService> log)
{
    public EventPipeline Pipeline => pipeline;

    public async Task<IngestResult> IngestAsync(PayloadSplitter.Split split, IngestContext ctx, CancellationToken ct)
    {
        var accepted = new List<CollectedEvent>(split.Items.Count);
        // Hashed here, on the request's thread, rather than by the store's one writer that every commit waits for.
        var fingerprints = new List<UInt128>(split.Items.Count);
        var quarantined = new List<QuarantinedEvent>();
        var links = new List<IdentityLink>();
        var optOuts = new List<(string Actor, bool OptedOut, DateTimeOffset At)>();
        var dropped = 0;
        // Counted per request, then added to the shared counters once per label set: one shared update per event
        // was ~2% of the collector's CPU.
        long personalContext = 0, otherFields = 0;
        foreach (var item in split.Items)
        {
            PipelineOutcome outcome;
            MappedEvent? mapped = null;
            if (item.Problem is not null)
            {
                outcome = Malformed(item, ctx);
            }
            else if (item.Payload.ValueKind != JsonValueKind.Object)
            {
                outcome = pipeline.Process(item.Payload, ctx, item.SegmentType, item.RawBytes);
            }
            else
            {
                mapped = EnvelopeMapper.Map(item.Payload, pipeline.Plan, item.SegmentType);
                mapped.RawBytes = item.RawBytes;
                if (mapped.SentAtText is null && split.BatchSentAt is not null) mapped.SentAtText = split.BatchSentAt;
                if (split.Utf8Repaired && item.Payload.GetRawText().Contains('\uFFFD'))
                    mapped.IngestViolations.Add(new Violation("invalid_utf8", "the event held bytes that are not UTF-8; they were replaced by U+FFFD"));
                outcome = pipeline.Process(mapped, ctx);
            }
            switch (outcome)
            {
                case PipelineOutcome.Accepted a:
                    accepted.Add(a.Event);
                    fingerprints.Add(EventIdFingerprint.Of(a.Event.EventId));
                    links.AddRange(a.Links);
                    foreach (var f in a.DroppedFields)
                    {
                        if (f.StartsWith("context.", StringComparison.Ordinal)) personalContext++;
                        else otherFields++;
                    }
                    break;
                case PipelineOutcome.Quarantined q:
                    quarantined.Add(q.Event);
                    foreach (var r in q.Event.Reasons.Select(r => r.Code).Distinct()) metrics.Quarantined(r);
                    break;
                case PipelineOutcome.Dropped d:
                    dropped++;
                    metrics.Dropped(d.Reason);
                    break;
            }
            // Persisted whatever became of the event: the pipeline already applies the change in memory, and a
            // restart must not forget an opt-out carried by an event that was itself dropped or quarantined.
            // A plan that holds no identifiers (seed 004) keeps none in its opt-out records either.
            if (outcome.OptOut is { } o && mapped is not null && pipeline.Plan.Identity.Identifiers)
            {
                if (mapped.UserId is { } u) optOuts.Add((u, o, ctx.ReceivedAt));
                if (mapped.AnonymousId is { } an) optOuts.Add((an, o, ctx.ReceivedAt));
            }
        }

        if (personalContext > 0) metrics.DroppedField("personal_context", personalContext);
        if (otherFields > 0) metrics.DroppedField("undeclared_or_policy", otherFields);
        if (optOuts.Count > 0) await writer.RecordOptOutsAsync(optOuts.Select(o => new OptOutChange(o.Actor, o.OptedOut, o.At)).ToList(), ct).ConfigureAwait(false);
        var result = await writer.WriteAsync(new WriteBatch(accepted, quarantined, links, fingerprints)).ConfigureAwait(false);
        int stored = 0, duplicates = 0;
        // Counted per (environment, event) in a short list: a request holds a few names, usually the plan's own
        // instances, so the comparisons end at the reference; a tuple-keyed dictionary hashed both strings twice per event.
        var ingested = new List<(string Environment, string Event, long Count)>();
        for (var i = 0; i < accepted.Count; i++)
        {
            if (result.Events[i] == WriteOutcome.Duplicate)
            {
                duplicates++;
                continue;
            }
            stored++;
            var (environment, name) = (accepted[i].Environment, accepted[i].Name);
            var at = ingested.Count - 1;
            while (at >= 0 && !(ingested[at].Event == name && ingested[at].Environment == environment)) at--;
            if (at < 0) ingested.Add((environment, name, 1));
            else ingested[at] = ingested[at] with { Count = ingested[at].Count + 1 };
        }
        foreach (var (environment, name, n) in ingested) metrics.Ingested(environment, name, n);
        if (duplicates > 0) metrics.Dropped(DropReasons.Duplicate, duplicates);
        if (quarantined.Count > 0)
            log.LogInformation("Quarantined {Count} events from {Source}; reasons {Reasons}", quarantined.Count, ctx.Source,
                string.Join(",", quarantined.SelectMany(q => q.Reasons.Select(r => r.Code)).Distinct()));
        return new IngestResult(true, stored, duplicates, quarantined.Count, dropped);
    }

    private PipelineOutcome Malformed(IncomingItem item, IngestContext ctx) =>
        new PipelineOutcome.Quarantined(new QuarantinedEvent
        {
            Id = Guid.CreateVersion7(ctx.ReceivedAt).ToString("N"),
            EventId = Guid.CreateVersion7(ctx.ReceivedAt).ToString("N"),
            Reasons = [new Violation("malformed_json", item.Problem!)],
            // The line could not be read, so nothing in it can be vetted: only its size is kept.
            PayloadJson = $"{{\"bytes\":{item.RawBytes}}}",
            Source = ctx.Source,
            ReceivedAt = ctx.ReceivedAt,
            RequestId = ctx.RequestId,
        });
}
