using Tally.Core.Events;
using Tally.Core.Storage;

namespace Tally.Core.Pipeline;

/// <summary>What a replay did: events that now pass and were stored, ones already stored, ones still failing.</summary>
public sealed record ReplayReport(int Examined, int Stored, int AlreadyStored, int StillFailing, int Dropped, IReadOnlyDictionary<string, int> StillFailingByReason);

/// <summary>
/// Re-runs quarantined events through the current plan (after it was fixed) and moves the ones that pass into the
/// store. The store deduplicates by event id and the quarantine row is removed only after the event is committed,
/// so a replay interrupted at any point and run again never creates a duplicate nor loses an event.
/// </summary>
public sealed class QuarantineReplay(EventPipeline pipeline, IEventStore store)
{
    public async Task<ReplayReport> RunAsync(CancellationToken ct = default)
    {
        var quarantined = new List<QuarantinedEvent>();
        await foreach (var q in store.ReadQuarantineAsync(ct).ConfigureAwait(false)) quarantined.Add(q);
        int stored = 0, already = 0, failing = 0, dropped = 0;
        var reasons = new Dictionary<string, int>();
        foreach (var chunk in quarantined.Chunk(1000))
        {
            var accepted = new List<CollectedEvent>();
            var acceptedIds = new List<string>();
            var links = new List<IdentityLink>();
            var remove = new List<string>();
            foreach (var q in chunk)
            {
                if (q.Reasons.Any(r => r.Code == "malformed_json")) { failing++; Count(reasons, "malformed_json"); continue; }
                var mapped = QuarantinePayload.Read(q.PayloadJson);
                mapped.EventId ??= q.EventId;
                var outcome = pipeline.Process(mapped, new IngestContext(q.ReceivedAt, q.Source, q.RequestId, q.Environment));
                switch (outcome)
                {
                    case PipelineOutcome.Accepted a:
                        accepted.Add(a.Event);
                        acceptedIds.Add(q.Id);
                        links.AddRange(a.Links);
                        break;
                    case PipelineOutcome.Dropped:
                        // Opted out or sampled out since: the plan says it must not be kept, so it leaves quarantine too.
                        dropped++;
                        remove.Add(q.Id);
                        break;
                    case PipelineOutcome.Quarantined still:
                        failing++;
                        foreach (var r in still.Event.Reasons.Select(r => r.Code).Distinct()) Count(reasons, r);
                        break;
                }
            }
            if (accepted.Count > 0)
            {
                var result = await store.WriteAsync(new WriteBatch(accepted, [], links), ct).ConfigureAwait(false);
                for (var i = 0; i < result.Events.Count; i++)
                {
                    if (result.Events[i] == WriteOutcome.Duplicate) already++; else stored++;
                    remove.Add(acceptedIds[i]);
                }
            }
            if (remove.Count > 0) await store.RemoveFromQuarantineAsync(remove, ct).ConfigureAwait(false);
        }
        return new ReplayReport(quarantined.Count, stored, already, failing, dropped, reasons);
    }

    private static void Count(Dictionary<string, int> d, string k) => d[k] = d.GetValueOrDefault(k) + 1;
}
